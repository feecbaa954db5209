using System.Collections.Concurrent;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Spiffe.WorkloadApi.Proto;

namespace Spiffe.WorkloadApi.Tests.Infrastructure;

/// <summary>
/// An in-process Workload API on a temporary Unix socket (Kestrel, HTTP/2 without TLS) with settable responses and
/// errors. Like SPIRE, it rejects every call without the <c>workload.spiffe.io: true</c> header with InvalidArgument.
/// </summary>
internal sealed class FakeWorkloadApi : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly string directory;
    private readonly bool tcp;

    private FakeWorkloadApi(WebApplication app, string directory, string socketPath, bool tcp)
    {
        this.app = app;
        this.directory = directory;
        this.SocketPath = socketPath;
        this.tcp = tcp;
    }

    public string SocketPath { get; }

    /// <summary>The address to give clients: <c>unix:///…</c>, or <c>tcp://127.0.0.1:port</c> for a TCP fake.</summary>
    public string Address => this.tcp
        ? "tcp://" + new Uri(this.app.Urls.Single()).Authority
        : "unix://" + this.SocketPath;

    public Broadcast<X509SVIDResponse> X509Svids { get; } = new();

    public Broadcast<X509BundlesResponse> X509Bundles { get; } = new();

    public Broadcast<JWTBundlesResponse> JwtBundles { get; } = new();

    /// <summary>The answer to FetchJWTSVID: a response, or a status to fail with.</summary>
    public Func<JWTSVIDRequest, JWTSVIDResponse>? JwtSvidHandler { get; set; }

    /// <summary>The answer to ValidateJWTSVID.</summary>
    public Func<ValidateJWTSVIDRequest, ValidateJWTSVIDResponse>? ValidateHandler { get; set; }

    /// <summary>Every unary request received, in order.</summary>
    public ConcurrentQueue<object> UnaryRequests { get; } = new();

    /// <summary>How many calls were refused for a missing or wrong security header.</summary>
    public int RejectedCalls => this.app.Services.GetRequiredService<SecurityHeaderCheck>().Rejected;

    /// <summary>Starts the fake on a temporary Unix socket, or with <paramref name="tcp"/> on a loopback TCP port.</summary>
    public static async Task<FakeWorkloadApi> StartAsync(bool tcp = false)
    {
        var directory = Directory.CreateTempSubdirectory("spiffe-wl-").FullName;
        var socketPath = Path.Combine(directory, "agent.sock");
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            if (tcp)
            {
                kestrel.Listen(System.Net.IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2);
            }
            else
            {
                kestrel.ListenUnixSocket(socketPath, listen => listen.Protocols = HttpProtocols.Http2);
            }
        });
        builder.Services.AddSingleton<SecurityHeaderCheck>();
        builder.Services.AddGrpc(options => options.Interceptors.Add<SecurityHeaderCheck>());
        var holder = new Holder();
        builder.Services.AddSingleton(holder);
        var app = builder.Build();
        app.MapGrpcService<Service>();
        var fake = new FakeWorkloadApi(app, directory, socketPath, tcp);
        holder.Fake = fake;
        await app.StartAsync();
        return fake;
    }

    public async ValueTask DisposeAsync()
    {
        await this.app.StopAsync();
        await this.app.DisposeAsync();
        Directory.Delete(this.directory, recursive: true);
    }

    /// <summary>Waits (in real time) until <paramref name="condition"/> holds.</summary>
    public static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TaskTimeoutExtensions.Timeout);
        while (!condition())
        {
            await Task.Delay(TimeSpan.FromMilliseconds(10), TimeProvider.System, timeout.Token);
        }
    }

    private sealed class Holder
    {
        public FakeWorkloadApi Fake { get; set; } = null!;
    }

    private sealed class SecurityHeaderCheck : Interceptor
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

    private sealed class Service : SpiffeWorkloadAPI.SpiffeWorkloadAPIBase
    {
        private readonly FakeWorkloadApi fake;

        public Service(Holder holder)
        {
            this.fake = holder.Fake;
        }

        public override Task FetchX509SVID(X509SVIDRequest request, IServerStreamWriter<X509SVIDResponse> responseStream, ServerCallContext context) =>
            this.fake.X509Svids.ServeAsync(responseStream, context.CancellationToken);

        public override Task FetchX509Bundles(X509BundlesRequest request, IServerStreamWriter<X509BundlesResponse> responseStream, ServerCallContext context) =>
            this.fake.X509Bundles.ServeAsync(responseStream, context.CancellationToken);

        public override Task FetchJWTBundles(JWTBundlesRequest request, IServerStreamWriter<JWTBundlesResponse> responseStream, ServerCallContext context) =>
            this.fake.JwtBundles.ServeAsync(responseStream, context.CancellationToken);

        public override Task<JWTSVIDResponse> FetchJWTSVID(JWTSVIDRequest request, ServerCallContext context)
        {
            this.fake.UnaryRequests.Enqueue(request);
            return Task.FromResult(Answer(this.fake.JwtSvidHandler, request));
        }

        public override Task<ValidateJWTSVIDResponse> ValidateJWTSVID(ValidateJWTSVIDRequest request, ServerCallContext context)
        {
            this.fake.UnaryRequests.Enqueue(request);
            return Task.FromResult(Answer(this.fake.ValidateHandler, request));
        }

        private static TResponse Answer<TRequest, TResponse>(Func<TRequest, TResponse>? handler, TRequest request) =>
            handler is null ? throw new RpcException(new Status(StatusCode.Unimplemented, "no handler set")) : handler(request);
    }
}
