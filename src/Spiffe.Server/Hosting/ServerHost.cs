using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Spiffe.Server.AdminApi;
using Spiffe.Server.AgentFacing;
using Spiffe.Server.Api;
using Spiffe.Server.Ca;
using Spiffe.Server.Config;
using Spiffe.Server.DataStore;

namespace Spiffe.Server.Hosting;

/// <summary>
/// The running server: one Kestrel instance with two listeners — the agent-facing gRPC API over TCP+TLS
/// (<c>bind_address:bind_port</c>) and the admin API over the Unix socket (<c>socket_path</c>, h2c) — plus the
/// optional health HTTP listener. <c>spiffe-server run</c> calls <see cref="RunAsync"/>; tests create, start, stop
/// and dispose instances.
/// </summary>
internal sealed class ServerHost : IAsyncDisposable
{
    private bool _disposed;

    private ServerHost(WebApplication app, ServerConfig config)
    {
        App = app;
        Config = config;
    }

    /// <summary>The application (not started until <see cref="StartAsync"/>).</summary>
    public WebApplication App { get; }

    /// <summary>The configuration the host runs with.</summary>
    public ServerConfig Config { get; }

    /// <summary>The host's services.</summary>
    public IServiceProvider Services => App.Services;

    /// <summary>The datastore (same instance the APIs use).</summary>
    public IDataStore DataStore => Services.GetRequiredService<IDataStore>();

    /// <summary>The CA manager.</summary>
    public CaManager Ca => Services.GetRequiredService<CaManager>();

    /// <summary>The TCP port the agent API listens on (the real port after start when <c>bind_port</c> is 0).</summary>
    public int AgentApiPort => PortOf(Uri.UriSchemeHttps) ?? Config.BindPort;

    /// <summary>The TCP port of the health listener (after start), or null when it is disabled.</summary>
    public int? HealthPort => Config.HealthChecks.ListenerEnabled ? PortOf(Uri.UriSchemeHttp) : null;

    /// <summary>The admin socket path.</summary>
    public string SocketPath => Config.SocketPath;

    /// <summary>
    /// Opens the datastore (running migrations), loads or creates the CA and JWT keys, and builds the application.
    /// </summary>
    /// <exception cref="InvalidOperationException">Start-up failed (e.g. unreadable key file); the message says why.</exception>
    public static async Task<ServerHost> CreateAsync(ServerConfig config, ServerHostOptions? options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(config);
        options ??= new ServerHostOptions();
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = "spiffe-server",
            ContentRootPath = Directory.GetCurrentDirectory(),
            EnvironmentName = Environments.Production,
        });
        ConfigureLogging(builder.Logging, config, options);
        ConfigureServices(builder.Services, config, options);
        builder.WebHost.ConfigureKestrel((context, kestrel) => ConfigureKestrel(kestrel, config));

        var app = builder.Build();
        var host = new ServerHost(app, config);
        try
        {
            _ = app.Services.GetRequiredService<IDataStore>();
            _ = app.Services.GetRequiredService<X509PopVerifier>();
            await app.Services.GetRequiredService<CaManager>().InitializeAsync(cancellationToken);
            MapEndpoints(app, config);
            return host;
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
    }

    /// <summary>Creates and starts the server, runs until <paramref name="cancellationToken"/> fires, then stops it.</summary>
    public static async Task RunAsync(ServerConfig config, CancellationToken cancellationToken)
    {
        await using var host = await CreateAsync(config, null, cancellationToken);
        await host.StartAsync(cancellationToken);
        try
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, TimeProvider.System, cancellationToken);
        }
        catch (OperationCanceledException)
        {
        }

        await host.StopAsync(CancellationToken.None);
    }

    /// <summary>Starts the listeners and background work.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        PrepareSocket(Config.SocketPath);
        await App.StartAsync(cancellationToken);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(Config.SocketPath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                | UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute);
        }

        var logger = Services.GetRequiredService<ILogger<ServerHost>>();
        var port = AgentApiPort;
        ServerLog.Started(logger, Config.TrustDomain, port, Config.SocketPath);
    }

    /// <summary>Stops the listeners and background work.</summary>
    public Task StopAsync(CancellationToken cancellationToken) => App.StopAsync(cancellationToken);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await App.DisposeAsync();
    }

    private static void ConfigureLogging(ILoggingBuilder logging, ServerConfig config, ServerHostOptions options)
    {
        logging.ClearProviders();
        logging.SetMinimumLevel(config.LogLevel);
        logging.AddFilter("Microsoft", LogLevel.Warning);
        logging.AddFilter("Grpc", LogLevel.Warning);
        if (options.ConfigureLogging is { } configure)
        {
            configure(logging);
            return;
        }

        if (config.LogFile is { } file)
        {
            logging.AddProvider(new FileLoggerProvider(file, config.LogFormat, options.TimeProvider));
        }
        else if (config.LogFormat == LogFormat.Json)
        {
            logging.AddJsonConsole(o => o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ");
        }
        else
        {
            logging.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
                o.UseUtcTimestamp = true;
            });
        }

        logging.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
    }

    private static void ConfigureServices(IServiceCollection services, ServerConfig config, ServerHostOptions options)
    {
        services.AddSingleton(config);
        services.AddSingleton(options.TimeProvider);
        services.AddSingleton(sp => SqliteDataStore.Open(
            config.DataStore.ConnectionString,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILoggerFactory>().CreateLogger("Spiffe.Server.DataStore")));
        services.AddSingleton<IDataStore>(sp => sp.GetRequiredService<SqliteDataStore>());
        services.AddSingleton<ICaJournalStore>(sp => sp.GetRequiredService<SqliteDataStore>());
        services.AddSingleton<IRevocationRelayStore>(sp => sp.GetRequiredService<SqliteDataStore>());
        services.AddSingleton<IAdminSvidStore>(sp => sp.GetRequiredService<SqliteDataStore>());
        services.AddSingleton<IKeyManager>(_ => config.KeyManager.Kind == KeyManagerKind.Disk
            ? DiskKeyManager.Open(config.KeyManager.KeysPath!)
            : new MemoryKeyManager());
        services.AddSingleton(new UpstreamAuthorityHolder(config.UpstreamAuthority is { } upstream ? UpstreamAuthority.Load(upstream) : null));
        services.AddSingleton(sp => new CaManager(
            config,
            sp.GetRequiredService<IKeyManager>(),
            sp.GetRequiredService<ICaJournalStore>(),
            sp.GetRequiredService<IDataStore>(),
            sp.GetRequiredService<UpstreamAuthorityHolder>().Authority,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<CaManager>>()));
        services.AddSingleton<CredentialSigner>();
        services.AddSingleton<ServerTlsCredentials>();
        services.AddSingleton<CallerAuthorizer>();
        services.AddSingleton<X509PopVerifier>();
        services.AddSingleton<MaintenanceService>();
        if (options.RunBackgroundRotation)
        {
            services.AddHostedService(sp => sp.GetRequiredService<MaintenanceService>());
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<Microsoft.AspNetCore.Routing.MatcherPolicy, ListenerMatcherPolicy>());
        services.AddRouting();
        services.AddGrpc(o =>
        {
            o.MaxReceiveMessageSize = config.MaxReceiveMessageSize;
            o.MaxSendMessageSize = null;
            o.EnableDetailedErrors = false;
        });
        AdminApiRegistration.AddServices(services);
        options.ConfigureServices?.Invoke(services);
    }

    private static void ConfigureKestrel(KestrelServerOptions kestrel, ServerConfig config)
    {
        kestrel.AddServerHeader = false;
        var tls = kestrel.ApplicationServices.GetRequiredService<ServerTlsCredentials>();
        var https = new TlsHandshakeCallbackOptions
        {
            OnConnection = _ => ValueTask.FromResult(tls.GetServerOptions()),
            HandshakeTimeout = TimeSpan.FromSeconds(10),
        };
        Listen(kestrel, config.BindAddress, config.BindPort, listen =>
        {
            listen.Protocols = HttpProtocols.Http2;
            listen.UseHttps(https);
        });
        kestrel.ListenUnixSocket(config.SocketPath, listen => listen.Protocols = HttpProtocols.Http2);
        if (config.HealthChecks.ListenerEnabled)
        {
            Listen(kestrel, config.HealthChecks.BindAddress, config.HealthChecks.BindPort, listen => listen.Protocols = HttpProtocols.Http1);
        }
    }

    private static void Listen(KestrelServerOptions kestrel, string address, int port, Action<ListenOptions> configure)
    {
        if (address is "0.0.0.0" or "" or "*")
        {
            kestrel.Listen(IPAddress.Any, port, configure);
        }
        else if (address is "::" or "[::]")
        {
            kestrel.Listen(IPAddress.IPv6Any, port, configure);
        }
        else if (string.Equals(address, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            kestrel.Listen(IPAddress.Loopback, port, configure);
        }
        else if (IPAddress.TryParse(address.Trim('[', ']'), out var ip))
        {
            kestrel.Listen(ip, port, configure);
        }
        else
        {
            var resolved = Dns.GetHostAddresses(address);
            if (resolved.Length == 0)
            {
                throw new InvalidOperationException($"bind address \"{address}\" does not resolve");
            }

            kestrel.Listen(resolved[0], port, configure);
        }
    }

    private static void MapEndpoints(WebApplication app, ServerConfig config)
    {
        app.MapGrpcService<HealthService>();

        var agentApi = app.MapGroup(string.Empty).WithMetadata(new ListenerMetadata(ListenerKind.AgentApi));
        agentApi.MapGrpcService<AgentService>();
        agentApi.MapGrpcService<EntryService>();
        agentApi.MapGrpcService<SvidService>();
        agentApi.MapGrpcService<BundleService>();
        agentApi.MapGrpcService<RevocationRelayService>();

        var adminApi = app.MapGroup(string.Empty).WithMetadata(new ListenerMetadata(ListenerKind.AdminApi));
        AdminApiRegistration.Map(adminApi);

        if (config.HealthChecks.ListenerEnabled)
        {
            var health = app.MapGroup(string.Empty).WithMetadata(new ListenerMetadata(ListenerKind.Health));
            health.MapGet(config.HealthChecks.LivePath, () => Results.Json(new { live = true }));
            health.MapGet(config.HealthChecks.ReadyPath, () => Results.Json(new { ready = true }));
        }
    }

    private static void PrepareSocket(string path)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        if (File.Exists(path))
        {
            File.Delete(path);
        }
    }

    private int? PortOf(string scheme)
    {
        var addresses = App.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        foreach (var address in addresses)
        {
            if (address.StartsWith(scheme + "://", StringComparison.Ordinal) && !address.Contains("unix:", StringComparison.Ordinal)
                && Uri.TryCreate(address, UriKind.Absolute, out var uri))
            {
                return uri.Port;
            }
        }

        return null;
    }
}
