using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Spiffe.Agent.Endpoints.Hosting;
using Spiffe.Proto.Grpc.Health.V1;
using Spiffe.WorkloadApi.Proto;

namespace Spiffe.Agent.Endpoints.Tests.Infrastructure;

/// <summary>
/// A raw Workload API client over the endpoint's socket. The endpoint generates only server stubs, so the methods
/// are described here by hand, exactly as any SPIFFE client puts them on the wire.
/// </summary>
internal sealed class WorkloadApiTestClient : IDisposable
{
    private static readonly Method<X509SVIDRequest, X509SVIDResponse> FetchX509SvidMethod = Streaming("FetchX509SVID", X509SVIDRequest.Parser, X509SVIDResponse.Parser);
    private static readonly Method<X509BundlesRequest, X509BundlesResponse> FetchX509BundlesMethod = Streaming("FetchX509Bundles", X509BundlesRequest.Parser, X509BundlesResponse.Parser);
    private static readonly Method<JWTBundlesRequest, JWTBundlesResponse> FetchJwtBundlesMethod = Streaming("FetchJWTBundles", JWTBundlesRequest.Parser, JWTBundlesResponse.Parser);
    private static readonly Method<WITSVIDRequest, WITSVIDResponse> FetchWitSvidMethod = Streaming("FetchWITSVID", WITSVIDRequest.Parser, WITSVIDResponse.Parser);
    private static readonly Method<WITBundlesRequest, WITBundlesResponse> FetchWitBundlesMethod = Streaming("FetchWITBundles", WITBundlesRequest.Parser, WITBundlesResponse.Parser);
    private static readonly Method<JWTSVIDRequest, JWTSVIDResponse> FetchJwtSvidMethod = Unary("FetchJWTSVID", JWTSVIDRequest.Parser, JWTSVIDResponse.Parser);
    private static readonly Method<ValidateJWTSVIDRequest, ValidateJWTSVIDResponse> ValidateJwtSvidMethod = Unary("ValidateJWTSVID", ValidateJWTSVIDRequest.Parser, ValidateJWTSVIDResponse.Parser);

    public WorkloadApiTestClient(string socketPath)
    {
        Channel = UnixSocketChannel.Create(socketPath);
        Invoker = Channel.CreateCallInvoker();
        Health = new Health.HealthClient(Channel);
    }

    public static Metadata SecurityHeader => new() { { "workload.spiffe.io", "true" } };

    public GrpcChannel Channel { get; }

    public CallInvoker Invoker { get; }

    public Health.HealthClient Health { get; }

    public AsyncServerStreamingCall<X509SVIDResponse> FetchX509Svid(Metadata? headers = null, CancellationToken cancellationToken = default) =>
        Invoker.AsyncServerStreamingCall(FetchX509SvidMethod, null, new CallOptions(headers ?? SecurityHeader, cancellationToken: cancellationToken), new X509SVIDRequest());

    public AsyncServerStreamingCall<X509BundlesResponse> FetchX509Bundles(CancellationToken cancellationToken = default) =>
        Invoker.AsyncServerStreamingCall(FetchX509BundlesMethod, null, new CallOptions(SecurityHeader, cancellationToken: cancellationToken), new X509BundlesRequest());

    public AsyncServerStreamingCall<JWTBundlesResponse> FetchJwtBundles(CancellationToken cancellationToken = default) =>
        Invoker.AsyncServerStreamingCall(FetchJwtBundlesMethod, null, new CallOptions(SecurityHeader, cancellationToken: cancellationToken), new JWTBundlesRequest());

    public AsyncServerStreamingCall<WITSVIDResponse> FetchWitSvid() =>
        Invoker.AsyncServerStreamingCall(FetchWitSvidMethod, null, new CallOptions(SecurityHeader), new WITSVIDRequest());

    public AsyncServerStreamingCall<WITBundlesResponse> FetchWitBundles() =>
        Invoker.AsyncServerStreamingCall(FetchWitBundlesMethod, null, new CallOptions(SecurityHeader), new WITBundlesRequest());

    public Task<JWTSVIDResponse> FetchJwtSvidAsync(JWTSVIDRequest request, Metadata? headers = null) =>
        Invoker.AsyncUnaryCall(FetchJwtSvidMethod, null, new CallOptions(headers ?? SecurityHeader), request).ResponseAsync;

    public Task<ValidateJWTSVIDResponse> ValidateJwtSvidAsync(ValidateJWTSVIDRequest request, Metadata? headers = null) =>
        Invoker.AsyncUnaryCall(ValidateJwtSvidMethod, null, new CallOptions(headers ?? SecurityHeader), request).ResponseAsync;

    public void Dispose() => Channel.Dispose();

    private static Method<TRequest, TResponse> Streaming<TRequest, TResponse>(string name, MessageParser<TRequest> request, MessageParser<TResponse> response)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse> =>
        new(MethodType.ServerStreaming, "SpiffeWorkloadAPI", name, Marshaller(request), Marshaller(response));

    private static Method<TRequest, TResponse> Unary<TRequest, TResponse>(string name, MessageParser<TRequest> request, MessageParser<TResponse> response)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse> =>
        new(MethodType.Unary, "SpiffeWorkloadAPI", name, Marshaller(request), Marshaller(response));

    private static Marshaller<T> Marshaller<T>(MessageParser<T> parser)
        where T : class, IMessage<T> =>
        Marshallers.Create(m => m.ToByteArray(), parser.ParseFrom);
}
