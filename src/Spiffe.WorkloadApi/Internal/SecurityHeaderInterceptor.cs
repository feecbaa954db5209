using Grpc.Core;
using Grpc.Core.Interceptors;

namespace Spiffe.WorkloadApi.Internal;

/// <summary>
/// Adds the <c>workload.spiffe.io: true</c> metadata the Workload API requires on every call; an endpoint rejects
/// a call without it with <see cref="StatusCode.InvalidArgument"/>.
/// </summary>
internal sealed class SecurityHeaderInterceptor : Interceptor
{
    internal const string HeaderName = "workload.spiffe.io";
    internal const string HeaderValue = "true";

    public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(
        TRequest request,
        ClientInterceptorContext<TRequest, TResponse> context,
        AsyncUnaryCallContinuation<TRequest, TResponse> continuation) =>
        continuation(request, WithHeader(context));

    public override AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(
        TRequest request,
        ClientInterceptorContext<TRequest, TResponse> context,
        AsyncServerStreamingCallContinuation<TRequest, TResponse> continuation) =>
        continuation(request, WithHeader(context));

    private static ClientInterceptorContext<TRequest, TResponse> WithHeader<TRequest, TResponse>(ClientInterceptorContext<TRequest, TResponse> context)
        where TRequest : class
        where TResponse : class
    {
        var headers = new Metadata { { HeaderName, HeaderValue } };
        return new ClientInterceptorContext<TRequest, TResponse>(context.Method, context.Host, context.Options.WithHeaders(headers));
    }
}
