using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Spiffe.Agent.Endpoints.Hosting;
using Spiffe.Proto.Grpc.Health.V1;
using Spiffe.WorkloadApi.Proto;

namespace Spiffe.Agent.Tests.Infrastructure;

/// <summary>A raw Workload API client (methods described by hand, as on the wire), so tests control headers and bodies.</summary>
internal sealed class WorkloadClient : IDisposable
{
    public static readonly Method<X509SVIDRequest, X509SVIDResponse> FetchX509SvidMethod = Streaming("FetchX509SVID", X509SVIDRequest.Parser, X509SVIDResponse.Parser);
    public static readonly Method<JWTBundlesRequest, JWTBundlesResponse> FetchJwtBundlesMethod = Streaming("FetchJWTBundles", JWTBundlesRequest.Parser, JWTBundlesResponse.Parser);
    public static readonly Method<JWTSVIDRequest, JWTSVIDResponse> FetchJwtSvidMethod = new(MethodType.Unary, "SpiffeWorkloadAPI", "FetchJWTSVID", Marshaller(JWTSVIDRequest.Parser), Marshaller(JWTSVIDResponse.Parser));

    public WorkloadClient(string socketPath)
    {
        Channel = UnixSocketChannel.Create(socketPath);
        Invoker = Channel.CreateCallInvoker();
    }

    public static Metadata SecurityHeader => new() { { "workload.spiffe.io", "true" } };

    public GrpcChannel Channel { get; }

    public CallInvoker Invoker { get; }

    public AsyncServerStreamingCall<X509SVIDResponse> FetchX509Svid(Metadata? headers = null, CancellationToken cancellationToken = default) =>
        Invoker.AsyncServerStreamingCall(FetchX509SvidMethod, null, new CallOptions(headers ?? SecurityHeader, cancellationToken: cancellationToken), new X509SVIDRequest());

    public async Task<X509SVIDResponse> FetchFirstX509SvidAsync()
    {
        using var call = FetchX509Svid();
        return await call.ResponseStream.MoveNext().DefaultTimeout() ? call.ResponseStream.Current : throw new InvalidOperationException("stream ended");
    }

    public async Task<JWTBundlesResponse> FetchFirstJwtBundlesAsync()
    {
        using var call = Invoker.AsyncServerStreamingCall(FetchJwtBundlesMethod, null, new CallOptions(SecurityHeader), new JWTBundlesRequest());
        return await call.ResponseStream.MoveNext().DefaultTimeout() ? call.ResponseStream.Current : throw new InvalidOperationException("stream ended");
    }

    public Task<JWTSVIDResponse> FetchJwtSvidAsync(params string[] audiences)
    {
        var request = new JWTSVIDRequest();
        request.Audience.AddRange(audiences);
        return Invoker.AsyncUnaryCall(FetchJwtSvidMethod, null, new CallOptions(SecurityHeader), request).ResponseAsync.DefaultTimeout();
    }

    public async Task<bool> IsServingAsync()
    {
        var response = await new Health.HealthClient(Channel).CheckAsync(new HealthCheckRequest()).ResponseAsync.DefaultTimeout();
        return response.Status == HealthCheckResponse.Types.ServingStatus.Serving;
    }

    public void Dispose() => Channel.Dispose();

    private static Method<TRequest, TResponse> Streaming<TRequest, TResponse>(string name, MessageParser<TRequest> request, MessageParser<TResponse> response)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse> =>
        new(MethodType.ServerStreaming, "SpiffeWorkloadAPI", name, Marshaller(request), Marshaller(response));

    private static Marshaller<T> Marshaller<T>(MessageParser<T> parser)
        where T : class, IMessage<T> =>
        Marshallers.Create(m => m.ToByteArray(), parser.ParseFrom);
}
