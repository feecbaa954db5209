using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Logging;
using Spiffe.Agent.Endpoints.Diagnostics;

namespace Spiffe.Agent.Endpoints.Interceptors;

/// <summary>
/// Rejects every Workload API call that does not carry exactly one <c>workload.spiffe.io</c> metadata value equal to
/// <c>true</c> with <c>InvalidArgument "security header missing from request"</c>, before anything else (attestation
/// included) happens, as SPIRE's middleware does. The revocation stream is checked the same way; other services on the
/// socket (health, reflection) are not.
/// </summary>
internal sealed class SecurityHeaderInterceptor : Interceptor
{
    /// <summary>The security header's name.</summary>
    public const string HeaderName = "workload.spiffe.io";

    /// <summary>The status message of a call without the header (SPIRE's wording).</summary>
    public const string MissingHeaderMessage = "security header missing from request";

    private readonly ILogger<SecurityHeaderInterceptor> _logger;

    /// <summary>Creates the interceptor.</summary>
    public SecurityHeaderInterceptor(ILogger<SecurityHeaderInterceptor> logger)
    {
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    /// <inheritdoc />
    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(continuation);
        Check(context);
        return continuation(request, context);
    }

    /// <inheritdoc />
    public override Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(continuation);
        Check(context);
        return continuation(request, responseStream, context);
    }

    private void Check(ServerCallContext context)
    {
        if (!WorkloadApiMethods.RequiresSecurityHeader(context.Method))
        {
            return;
        }

        var values = context.GetHttpContext().Request.Headers[HeaderName];
        if (values.Count == 1 && string.Equals(values[0], "true", StringComparison.Ordinal))
        {
            return;
        }

        EndpointsLog.SecurityHeaderMissing(_logger, context.Method);
        throw new RpcException(new Status(StatusCode.InvalidArgument, MissingHeaderMessage));
    }
}
