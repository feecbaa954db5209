using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Spiffe.Agent.Core.Attestation;
using Spiffe.Agent.Core.Tasks;
using Spiffe.Agent.Endpoints.Hosting;
using Spiffe.Agent.Endpoints.Tasks;

namespace Spiffe.Agent.Endpoints.Admin;

/// <summary>
/// The admin socket: its own Kestrel Unix listener (HTTP/2 without TLS) serving <c>spiffe.agent.task.v1.Tasks</c>. The
/// socket's directory is created if missing and made 0700 and the socket 0600 (0750 and 0660 when <c>allowed_uids</c>
/// names non-root users, who reach it through the group); every call is checked against the caller's peer-credential UID.
/// </summary>
internal sealed class AdminEndpointServer : IAsyncDisposable
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode OwnerAndGroup = OwnerOnly | UnixFileMode.GroupRead | UnixFileMode.GroupExecute;
    private const UnixFileMode SocketOwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode SocketOwnerAndGroup = SocketOwnerOnly | UnixFileMode.GroupRead | UnixFileMode.GroupWrite;

    private readonly AdminEndpointOptions _options;
    private readonly ITaskControl _control;
    private readonly IPeerTracker _peerTracker;
    private readonly TimeProvider _timeProvider;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger<AdminEndpointServer> _logger;
    private WebApplication? _app;

    /// <summary>Creates the server; nothing is bound until <see cref="StartAsync"/>.</summary>
    public AdminEndpointServer(
        AdminEndpointOptions options, ITaskControl control, IPeerTracker peerTracker, TimeProvider timeProvider, ILoggerFactory loggerFactory)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _control = control ?? throw new ArgumentNullException(nameof(control));
        _peerTracker = peerTracker ?? throw new ArgumentNullException(nameof(peerTracker));
        _timeProvider = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        _loggerFactory = loggerFactory ?? throw new ArgumentNullException(nameof(loggerFactory));
        _logger = loggerFactory.CreateLogger<AdminEndpointServer>();
    }

    /// <summary>The socket path served.</summary>
    public string SocketPath => _options.SocketPath;

    private bool NonRootAllowed => _options.AllowedUids.Any(uid => uid != 0);

    /// <summary>Prepares the directory (mode) and socket file, binds and starts serving.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (_app is not null)
        {
            throw new InvalidOperationException("the admin endpoint is already started");
        }

        var directory = Path.GetDirectoryName(Path.GetFullPath(_options.SocketPath)) ?? "/";
        Directory.CreateDirectory(directory);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(directory, NonRootAllowed ? OwnerAndGroup : OwnerOnly);
        }

        UnixSocketFile.PrepareForBind(_options.SocketPath, _logger);
        var app = Build();
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        _app = app;
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(_options.SocketPath, NonRootAllowed ? SocketOwnerAndGroup : SocketOwnerOnly);
        }

        TaskEndpointsLog.AdminEndpointStarted(_logger, _options.SocketPath);
    }

    /// <summary>Stops serving and removes the socket file.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        var app = Interlocked.Exchange(ref _app, null);
        if (app is null)
        {
            return;
        }

        try
        {
            await app.StopAsync(cancellationToken);
        }
        finally
        {
            await app.DisposeAsync();
            UnixSocketFile.Remove(_options.SocketPath);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5), _timeProvider);
        await StopAsync(timeout.Token);
    }

    private WebApplication Build()
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = "spiffe-agent-admin-api" });
        var services = builder.Services;
        services.Replace(ServiceDescriptor.Singleton(_loggerFactory));
        services.Replace(ServiceDescriptor.Singleton<IHostLifetime, EmbeddedHostLifetime>());
        services.AddSingleton(_options);
        services.AddSingleton(_control);
        services.AddSingleton(_peerTracker);
        services.AddSingleton<AdminCallerMiddleware>();
        services.AddSingleton<AdminAuthorizationInterceptor>();
        services.AddRoutingCore();
        services.AddGrpc(grpc =>
        {
            grpc.Interceptors.Add<AdminAuthorizationInterceptor>();
            grpc.EnableDetailedErrors = false;
        });

        builder.WebHost.UseKestrelCore();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.ListenUnixSocket(_options.SocketPath, listen =>
            {
                listen.Protocols = HttpProtocols.Http2;
                listen.Use(listen.ApplicationServices.GetRequiredService<AdminCallerMiddleware>().AsConnectionMiddleware());
            });
        });

        var app = builder.Build();
        app.MapGrpcService<TaskAdminService>();
        return app;
    }
}
