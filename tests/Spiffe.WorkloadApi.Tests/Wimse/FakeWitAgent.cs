using System.Collections.Concurrent;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Spiffe.Core;
using Spiffe.Proto.Agent.Proof.V1;
using Spiffe.Testing;
using Spiffe.WorkloadApi.Proto;
using Spiffe.WorkloadApi.Tests.Infrastructure;
using ProofGrpc = Spiffe.Proto.Agent.Proof.V1.WorkloadProof;

namespace Spiffe.WorkloadApi.Tests.Wimse;

/// <summary>
/// An in-process agent for the WIT side of the client library, on a temporary Unix socket: <c>FetchWITSVID</c> and
/// <c>FetchWITBundles</c> from settable broadcasts, and the signing oracle, which by default signs real proofs with the
/// WIT it holds (<see cref="Wit"/>). Every call without the <c>workload.spiffe.io: true</c> header is refused with
/// InvalidArgument and counted. (<see cref="FakeWorkloadApi"/> answers the WIT methods with Unimplemented.)
/// </summary>
internal sealed class FakeWitAgent : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly string directory;

    private FakeWitAgent(WebApplication app, string directory, string socketPath)
    {
        this.app = app;
        this.directory = directory;
        this.Address = "unix://" + socketPath;
        this.Issuer = new TestWitIssuer(TestIdentities.Domain);
        this.Wit = this.Issuer.Issue(TestIdentities.Web, TimeProvider.System.GetUtcNow());
    }

    public string Address { get; }

    public TestWitIssuer Issuer { get; }

    /// <summary>The WIT the default oracle proves.</summary>
    public TestWit Wit { get; }

    public Broadcast<WITSVIDResponse> WitSvids { get; } = new();

    public Broadcast<WITBundlesResponse> WitBundles { get; } = new();

    /// <summary>Every FetchWITSVID request received.</summary>
    public ConcurrentQueue<WITSVIDRequest> WitSvidRequests { get; } = new();

    /// <summary>Every CreateProof request received.</summary>
    public ConcurrentQueue<CreateProofRequest> ProofRequests { get; } = new();

    /// <summary>The oracle's answer; by default a real proof for <see cref="Wit"/> with the request's context.</summary>
    public Func<CreateProofRequest, CreateProofResponse> ProofHandler { get; set; } = null!;

    public int RejectedCalls => this.app.Services.GetRequiredService<HeaderCheck>().Rejected;

    public static async Task<FakeWitAgent> StartAsync()
    {
        var directory = Directory.CreateTempSubdirectory("spiffe-wit-").FullName;
        var socketPath = Path.Combine(directory, "agent.sock");
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ListenUnixSocket(socketPath, listen => listen.Protocols = HttpProtocols.Http2));
        builder.Services.AddSingleton<HeaderCheck>();
        builder.Services.AddGrpc(options => options.Interceptors.Add<HeaderCheck>());
        var holder = new Holder();
        builder.Services.AddSingleton(holder);
        var app = builder.Build();
        app.MapGrpcService<WitService>();
        app.MapGrpcService<ProofService>();
        var agent = new FakeWitAgent(app, directory, socketPath);
        agent.ProofHandler = agent.SignProof;
        holder.Agent = agent;
        await app.StartAsync();
        return agent;
    }

    /// <summary>A FetchWITSVID message for <see cref="Wit"/>, with its key unless <paramref name="withKey"/> is false.</summary>
    public WITSVIDResponse WitResponse(bool withKey = true, string hint = "") => Response((this.Wit, withKey, hint));

    /// <summary>A FetchWITSVID message for several WITs.</summary>
    public static WITSVIDResponse Response(params (TestWit Wit, bool WithKey, string Hint)[] items)
    {
        var response = new WITSVIDResponse();
        foreach (var (wit, withKey, hint) in items)
        {
            response.Svids.Add(new WITSVID
            {
                SpiffeId = wit.Id.ToString(),
                WitSvid = wit.Token,
                WitSvidKey = withKey ? WitSvid.ExportPrivateKey(wit.Key, wit.Algorithm) : string.Empty,
                Hint = hint,
            });
        }

        return response;
    }

    /// <summary>A FetchWITBundles message with this agent's issuer key.</summary>
    public WITBundlesResponse BundlesResponse()
    {
        var response = new WITBundlesResponse();
        response.Bundles[TestIdentities.Domain.IdString] = System.Text.Encoding.UTF8.GetString(this.Issuer.CreateWitBundle().Marshal());
        return response;
    }

    public async ValueTask DisposeAsync()
    {
        await this.app.StopAsync();
        await this.app.DisposeAsync();
        Directory.Delete(this.directory, recursive: true);
    }

    private CreateProofResponse SignProof(CreateProofRequest request)
    {
        var now = TimeProvider.System.GetUtcNow();
        var proof = WorkloadProofToken.Create(
            this.Wit.Token,
            this.Wit.Key,
            new WorkloadProofContext
            {
                Audience = request.TargetUri,
                AccessToken = request.AccessToken.Length > 0 ? request.AccessToken : null,
                TransactionToken = request.TxnToken.Length > 0 ? request.TxnToken : null,
                OtherTokens = request.OtherTokens.Count > 0 ? request.OtherTokens : null,
            },
            TimeSpan.FromSeconds(request.LifetimeSeconds > 0 ? request.LifetimeSeconds : 60),
            now);
        return new CreateProofResponse { Wit = this.Wit.Token, Wpt = proof.Token, SpiffeId = this.Wit.Id.ToString(), WptExpiresAt = proof.Expiry.ToUnixTimeSeconds() };
    }

    private sealed class Holder
    {
        public FakeWitAgent Agent { get; set; } = null!;
    }

    private sealed class HeaderCheck : Interceptor
    {
        private int rejected;

        public int Rejected => Volatile.Read(ref this.rejected);

        public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
        {
            this.Check(context);
            return continuation(request, context);
        }

        public override Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
        {
            this.Check(context);
            return continuation(request, responseStream, context);
        }

        private void Check(ServerCallContext context)
        {
            var values = context.RequestHeaders.Where(h => h.Key == "workload.spiffe.io").ToList();
            if (values.Count != 1 || values[0].Value != "true")
            {
                Interlocked.Increment(ref this.rejected);
                throw new RpcException(new Status(StatusCode.InvalidArgument, "security header missing from request"));
            }
        }
    }

    private sealed class WitService(Holder holder) : SpiffeWorkloadAPI.SpiffeWorkloadAPIBase
    {
        public override Task FetchWITSVID(WITSVIDRequest request, IServerStreamWriter<WITSVIDResponse> responseStream, ServerCallContext context)
        {
            holder.Agent.WitSvidRequests.Enqueue(request);
            return holder.Agent.WitSvids.ServeAsync(responseStream, context.CancellationToken);
        }

        public override Task FetchWITBundles(WITBundlesRequest request, IServerStreamWriter<WITBundlesResponse> responseStream, ServerCallContext context) =>
            holder.Agent.WitBundles.ServeAsync(responseStream, context.CancellationToken);
    }

    private sealed class ProofService(Holder holder) : ProofGrpc.WorkloadProofBase
    {
        public override Task<CreateProofResponse> CreateProof(CreateProofRequest request, ServerCallContext context)
        {
            holder.Agent.ProofRequests.Enqueue(request);
            return Task.FromResult(holder.Agent.ProofHandler(request));
        }
    }
}
