using System.Diagnostics.Metrics;
using Grpc.Core;
using Grpc.Net.Client;
using Google.Protobuf;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Spiffe.Agent.Core.Wit;
using Spiffe.Agent.Endpoints.Diagnostics;
using Spiffe.Agent.Endpoints.Hosting;
using Spiffe.Agent.Endpoints.Tests.Infrastructure;
using Spiffe.Agent.Endpoints.Wit;
using Spiffe.Proto.Agent.Proof.V1;
using Spiffe.WorkloadApi.Proto;

namespace Spiffe.Agent.Endpoints.Tests.Wit;

/// <summary>
/// The real endpoint with WIT-SVIDs on a temporary Unix socket, with fakes for the WIT cache, the X.509 cache, the
/// attestation contracts and (optionally) the task services; and a raw client for the WIT methods and the oracle.
/// </summary>
internal sealed class WitEndpointHarness : IAsyncDisposable
{
    private static readonly Method<WITSVIDRequest, WITSVIDResponse> FetchWitSvidMethod =
        new(MethodType.ServerStreaming, "SpiffeWorkloadAPI", "FetchWITSVID", Marshaller(WITSVIDRequest.Parser), Marshaller(WITSVIDResponse.Parser));

    private static readonly Method<WITBundlesRequest, WITBundlesResponse> FetchWitBundlesMethod =
        new(MethodType.ServerStreaming, "SpiffeWorkloadAPI", "FetchWITBundles", Marshaller(WITBundlesRequest.Parser), Marshaller(WITBundlesResponse.Parser));

    private static readonly Method<CreateProofRequest, CreateProofResponse> CreateProofMethod =
        new(MethodType.Unary, "spiffe.agent.proof.v1.WorkloadProof", "CreateProof", Marshaller(CreateProofRequest.Parser), Marshaller(CreateProofResponse.Parser));

    private readonly ServiceProvider _services;
    private readonly ILoggerFactory _loggerFactory;
    private readonly GrpcChannel _channel;

    private WitEndpointHarness(WitTestDomain domain, WitTaskFakes? tasks, WitOptions? witOptions)
    {
        Directory = Path.Combine(Path.GetTempPath(), "spiffe-wit-" + Guid.NewGuid().ToString("N")[..10]);
        Options = new WorkloadEndpointOptions { SocketPath = Path.Combine(Directory, "public", "api.sock"), TrustDomain = domain.TrustDomain };
        Domain = domain;
        Tasks = tasks;
        WitCache = new FakeWitSvidCache(domain.Update());
        var x509Domain = new TestTrustDomain(domain.TrustDomain.Name);
        _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        _loggerFactory = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Debug).AddProvider(Logs));
        Server = new WorkloadEndpointServer(
            Options,
            new FakeWorkloadIdentityCache(x509Domain.Update()),
            Attestation,
            new FakePeerTracker(),
            new WorkloadApiMetrics(_services.GetRequiredService<IMeterFactory>()),
            TimeProvider.System,
            _loggerFactory,
            tasks?.Services,
            new WitEndpointServices(WitCache, witOptions ?? new WitOptions()));
        _channel = UnixSocketChannel.Create(Options.SocketPath);
    }

    public static Metadata SecurityHeader => new() { { "workload.spiffe.io", "true" } };

    public string Directory { get; }

    public WorkloadEndpointOptions Options { get; }

    public WitTestDomain Domain { get; }

    public WitTaskFakes? Tasks { get; }

    public FakeWitSvidCache WitCache { get; }

    public FakeAttestationService Attestation { get; } = new();

    public CapturingLoggerProvider Logs { get; } = new();

    public WorkloadEndpointServer Server { get; }

    public static async Task<WitEndpointHarness> StartAsync(WitTestDomain domain, WitTaskFakes? tasks = null, WitOptions? witOptions = null)
    {
        var harness = new WitEndpointHarness(domain, tasks, witOptions);
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

    public AsyncServerStreamingCall<WITSVIDResponse> FetchWitSvid(WITSVIDRequest? request = null, Metadata? headers = null) =>
        _channel.CreateCallInvoker().AsyncServerStreamingCall(FetchWitSvidMethod, null, new CallOptions(headers ?? SecurityHeader), request ?? new WITSVIDRequest());

    public AsyncServerStreamingCall<WITBundlesResponse> FetchWitBundles() =>
        _channel.CreateCallInvoker().AsyncServerStreamingCall(FetchWitBundlesMethod, null, new CallOptions(SecurityHeader), new WITBundlesRequest());

    public Task<CreateProofResponse> CreateProofAsync(CreateProofRequest request, Metadata? headers = null) =>
        _channel.CreateCallInvoker().AsyncUnaryCall(CreateProofMethod, null, new CallOptions(headers ?? SecurityHeader), request).ResponseAsync;

    public async ValueTask DisposeAsync()
    {
        _channel.Dispose();
        await Server.DisposeAsync().AsTask().DefaultTimeout();
        _loggerFactory.Dispose();
        await _services.DisposeAsync();
        if (System.IO.Directory.Exists(Directory))
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }

    private static Marshaller<T> Marshaller<T>(MessageParser<T> parser)
        where T : class, IMessage<T> =>
        Marshallers.Create(m => m.ToByteArray(), parser.ParseFrom);
}
