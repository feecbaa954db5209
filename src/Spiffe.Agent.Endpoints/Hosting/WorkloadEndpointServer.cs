using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Spiffe.Agent.Core.Attestation;
using Spiffe.Agent.Core.Workload;
using Spiffe.Agent.Endpoints.Connections;
using Spiffe.Agent.Endpoints.Diagnostics;
using Spiffe.Agent.Endpoints.Interceptors;
using Spiffe.Agent.Endpoints.Services;
using Spiffe.Agent.Endpoints.Tasks;
using Spiffe.Agent.Endpoints.Wit;

namespace Spiffe.Agent.Endpoints.Hosting;

/// <summary>
/// The Workload API socket: Kestrel on a Unix socket, HTTP/2 without TLS (clients use h2c with prior knowledge),
/// with the caller-tracking connection middleware and, in this order, the metrics, security-header, request-field and
/// attestation interceptors (then the task policy interceptor, with task-bound identities) in front of
/// <c>SpiffeWorkloadAPI</c> (and of the signing oracle, with WIT-SVIDs); <c>grpc.health.v1.Health</c>, gRPC reflection (and the revocation stream) on the same
/// socket. Runs as its own small web host so that it can be opened after the agent is ready.
/// </summary>
internal sealed class WorkloadEndpointServer : IAsyncDisposable
{
    private readonly WorkloadEndpointOptions _options;
    private readonly IWorkloadIdentityCache _cache;
    private readonly IWorkloadAttestationService _attestation;
    private readonly IPeerTracker _peerTracker;
    private readonly WorkloadApiMetrics _metrics;
    private readonly TimeProvider _timeProvider;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger<WorkloadEndpointServer> _logger;
    private readonly TaskEndpointServices? _tasks;
    private readonly WitEndpointServices? _wit;
    private WebApplication? _app;

    /// <summary>
    /// Creates the server; nothing is bound until <see cref="StartAsync"/>. With <paramref name="tasks"/> (task-bound
    /// identities enabled) the per-request policy runs after attestation, task credentials are checked, recorded and
    /// audited, and <c>spiffe.agent.revocation.v1.Revocation</c> is served on the same socket. With <paramref name="wit"/>
    /// the WIT-SVID methods are served and the signing oracle <c>spiffe.agent.proof.v1.WorkloadProof</c> is on the socket.
    /// </summary>
    public WorkloadEndpointServer(
        WorkloadEndpointOptions options,
        IWorkloadIdentityCache cache,
        IWorkloadAttestationService attestation,
        IPeerTracker peerTracker,
        WorkloadApiMetrics metrics,
        TimeProvider timeProvider,
        ILoggerFactory loggerFactory,
        TaskEndpointServices? tasks = null,
        WitEndpointServices? wit = null)
    {
        _tasks = tasks;
        _wit = wit;
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _cache = cache ?? throw new ArgumentNullException(nameof(cache));
        _attestation = attestation ?? throw new ArgumentNullException(nameof(attestation));
        _peerTracker = peerTracker ?? throw new ArgumentNullException(nameof(peerTracker));
        _metrics = metrics ?? throw new ArgumentNullException(nameof(metrics));
        _timeProvider = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        _loggerFactory = loggerFactory ?? throw new ArgumentNullException(nameof(loggerFactory));
        _logger = loggerFactory.CreateLogger<WorkloadEndpointServer>();
        Probe = new WorkloadApiProbe(options);
    }

    /// <summary>The socket path served.</summary>
    public string SocketPath => _options.SocketPath;

    /// <summary>True between a successful <see cref="StartAsync"/> and <see cref="StopAsync"/>.</summary>
    public bool IsListening => Volatile.Read(ref _app) is not null;

    /// <summary>Loopback calls to this endpoint (the health checks use them).</summary>
    public WorkloadApiProbe Probe { get; }

    /// <summary>Prepares the socket file, binds, starts serving and opens the socket to every user.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (_app is not null)
        {
            throw new InvalidOperationException("the endpoint is already started");
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
        UnixSocketFile.AllowEveryone(_options.SocketPath);
        EndpointsLog.EndpointStarted(_logger, _options.SocketPath);
    }

    /// <summary>Stops accepting calls, ends the open streams and removes the socket file.</summary>
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
            EndpointsLog.EndpointStopped(_logger, _options.SocketPath);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5), _timeProvider);
        await StopAsync(timeout.Token);
        Probe.Dispose();
    }

    private WebApplication Build()
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = "spiffe-agent-workload-api" });
        var services = builder.Services;
        services.Replace(ServiceDescriptor.Singleton(_loggerFactory));
        services.Replace(ServiceDescriptor.Singleton<IHostLifetime, EmbeddedHostLifetime>());
        services.AddSingleton(_options);
        services.AddSingleton(_cache);
        services.AddSingleton(_attestation);
        services.AddSingleton(_peerTracker);
        services.AddSingleton(_metrics);
        services.AddSingleton(_timeProvider);
        services.AddSingleton(Probe);
        services.AddSingleton<CallerTrackingMiddleware>();
        services.AddSingleton<CallMetricsInterceptor>();
        services.AddSingleton<SecurityHeaderInterceptor>();
        services.AddSingleton<RequestValidationInterceptor>();
        services.AddSingleton<WorkloadAttestationInterceptor>();
        services.AddSingleton<HealthService>();
        if (_tasks is not null)
        {
            services.AddSingleton(_tasks);
            services.AddSingleton<TaskPolicyInterceptor>();
            services.AddSingleton<TaskIssuance>();
        }

        if (_wit is not null)
        {
            services.AddSingleton(_wit);
            services.AddSingleton<WitIssuance>();
            services.AddSingleton<WitStreams>();
        }

        services.AddRoutingCore();
        services.AddGrpc(grpc =>
        {
            // Order matters: the first added runs first. The header check precedes attestation (SPIRE's middleware).
            grpc.Interceptors.Add<CallMetricsInterceptor>();
            grpc.Interceptors.Add<SecurityHeaderInterceptor>();
            grpc.Interceptors.Add<RequestValidationInterceptor>();
            grpc.Interceptors.Add<WorkloadAttestationInterceptor>();
            if (_tasks is not null)
            {
                grpc.Interceptors.Add<TaskPolicyInterceptor>();
            }

            grpc.EnableDetailedErrors = false;
        });
        services.AddGrpcReflection();

        builder.WebHost.UseKestrelCore();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.ListenUnixSocket(_options.SocketPath, listen =>
            {
                listen.Protocols = HttpProtocols.Http2;
                listen.Use(listen.ApplicationServices.GetRequiredService<CallerTrackingMiddleware>().AsConnectionMiddleware());
            });
        });

        var app = builder.Build();
        app.MapGrpcService<WorkloadApiService>();
        app.MapGrpcService<HealthService>();
        if (_tasks is not null)
        {
            app.MapGrpcService<RevocationService>();
        }

        if (_wit is not null)
        {
            app.MapGrpcService<WorkloadProofService>();
        }

        app.MapGrpcReflectionService();
        return app;
    }
}
