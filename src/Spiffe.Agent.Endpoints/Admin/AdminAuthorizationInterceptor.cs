using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Logging;
using Spiffe.Agent.Endpoints.Tasks;

namespace Spiffe.Agent.Endpoints.Admin;

/// <summary>Lets through only admin calls whose peer-credential UID is in <c>allowed_uids</c>; others get <c>PermissionDenied</c>.</summary>
internal sealed class AdminAuthorizationInterceptor : Interceptor
{
    private readonly AdminEndpointOptions _options;
    private readonly ILogger<AdminAuthorizationInterceptor> _logger;

    /// <summary>Creates the interceptor.</summary>
    public AdminAuthorizationInterceptor(AdminEndpointOptions options, ILogger<AdminAuthorizationInterceptor> logger)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    /// <inheritdoc />
    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(continuation);
        Authorize(context);
        return continuation(request, context);
    }

    /// <inheritdoc />
    public override Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(continuation);
        Authorize(context);
        return continuation(request, responseStream, context);
    }

    private void Authorize(ServerCallContext context)
    {
        var caller = context.GetHttpContext().Features.Get<IAdminCallerFeature>()
            ?? throw new RpcException(new Status(StatusCode.Internal, "could not resolve caller information"));
        if (!_options.AllowedUids.Contains(caller.Uid))
        {
            TaskEndpointsLog.AdminCallRefused(_logger, context.Method, caller.Uid);
            throw new RpcException(new Status(StatusCode.PermissionDenied, $"uid {caller.Uid} may not use the admin API"));
        }
    }
}
