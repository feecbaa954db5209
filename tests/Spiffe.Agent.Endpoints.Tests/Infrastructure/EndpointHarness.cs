using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Spiffe.Agent.Endpoints.Diagnostics;
using Spiffe.Agent.Endpoints.Hosting;

namespace Spiffe.Agent.Endpoints.Tests.Infrastructure;

/// <summary>The real endpoint on a temporary Unix socket, with fakes for the cache and the attestation contracts.</summary>
internal sealed class EndpointHarness : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly ILoggerFactory _loggerFactory;
    private readonly List<WorkloadApiTestClient> _clients = [];

    public EndpointHarness(TestTrustDomain trustDomain, WorkloadEndpointOptions? options = null)
    {
        Directory = Path.Combine(Path.GetTempPath(), "spiffe-ep-" + Guid.NewGuid().ToString("N")[..10]);
        Options = options ?? new WorkloadEndpointOptions();
        Options.SocketPath = Path.Combine(Directory, "public", "api.sock");
        Options.TrustDomain = trustDomain.TrustDomain;
        TrustDomain = trustDomain;
        Cache = new FakeWorkloadIdentityCache(trustDomain.Update());
        _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        _loggerFactory = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Debug).AddProvider(Logs));
        Metrics = new WorkloadApiMetrics(_services.GetRequiredService<IMeterFactory>());
        Server = new WorkloadEndpointServer(Options, Cache, Attestation, Tracker, Metrics, TimeProvider.System, _loggerFactory);
    }

    public string Directory { get; }

    public string SocketPath => Options.SocketPath;

    public TestTrustDomain TrustDomain { get; }

    public WorkloadEndpointOptions Options { get; }

    public FakeWorkloadIdentityCache Cache { get; }

    public FakeAttestationService Attestation { get; } = new();

    public FakePeerTracker Tracker { get; } = new();

    public CapturingLoggerProvider Logs { get; } = new();

    public WorkloadApiMetrics Metrics { get; }

    public IMeterFactory MeterFactory => _services.GetRequiredService<IMeterFactory>();

    public WorkloadEndpointServer Server { get; }

    public static async Task<EndpointHarness> StartAsync(TestTrustDomain trustDomain, WorkloadEndpointOptions? options = null)
    {
        var harness = new EndpointHarness(trustDomain, options);
        try
        {
            await harness.Server.StartAsync(CancellationToken.None).DefaultTimeout();
            return harness;
        }
        catch
        {
            await harness.DisposeAsync();
            throw;
        }
    }

    public WorkloadApiTestClient CreateClient()
    {
        var client = new WorkloadApiTestClient(SocketPath);
        _clients.Add(client);
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }

        await Server.DisposeAsync().AsTask().DefaultTimeout();
        _loggerFactory.Dispose();
        await _services.DisposeAsync();
        if (System.IO.Directory.Exists(Directory))
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }
}
