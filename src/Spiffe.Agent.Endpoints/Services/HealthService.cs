using Google.Protobuf;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using Spiffe.Agent.Endpoints.Diagnostics;
using Spiffe.Agent.Endpoints.Hosting;
using Spiffe.Agent.Endpoints.Interceptors;
using Spiffe.Proto.Grpc.Health.V1;
using Spiffe.WorkloadApi.Proto;

namespace Spiffe.Agent.Endpoints.Services;

/// <summary>
/// <c>grpc.health.v1.Health</c> on the Workload API socket, with SPIRE's semantics: only the empty service name is
/// accepted, and the agent is SERVING when a loopback <c>FetchX509SVID</c> through its own socket returns a message
/// or <c>PermissionDenied</c> (the agent itself need not have an identity); anything else is NOT_SERVING.
/// </summary>
internal sealed class HealthService : Health.HealthBase, IDisposable
{
    private static readonly Method<X509SVIDRequest, string> FetchX509SvidMethod = new(
        MethodType.ServerStreaming,
        "SpiffeWorkloadAPI",
        "FetchX509SVID",
        Marshallers.Create(static (X509SVIDRequest r) => r.ToByteArray(), X509SVIDRequest.Parser.ParseFrom),
        // The loopback only needs to know that a message arrived; its content (a private key) is never read.
        new Marshaller<string>(static (_, context) => context.Complete([]), static _ => string.Empty));

    private readonly WorkloadEndpointOptions _options;
    private readonly ILogger<HealthService> _logger;
    private readonly Lazy<CallInvoker> _loopback;
    private readonly Lock _gate = new();
    private Grpc.Net.Client.GrpcChannel? _channel;

    /// <summary>Creates the service.</summary>
    public HealthService(WorkloadEndpointOptions options, ILogger<HealthService> logger)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _loopback = new Lazy<CallInvoker>(CreateLoopback);
    }

    /// <inheritdoc />
    public override async Task<HealthCheckResponse> Check(HealthCheckRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        if (request.Service.Length > 0)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "only the empty service name is supported"));
        }

        var status = await ProbeAsync(context.CancellationToken);
        if (status is not (StatusCode.OK or StatusCode.PermissionDenied))
        {
            EndpointsLog.HealthCheckFailed(_logger, status);
            return new HealthCheckResponse { Status = HealthCheckResponse.Types.ServingStatus.NotServing };
        }

        return new HealthCheckResponse { Status = HealthCheckResponse.Types.ServingStatus.Serving };
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_gate)
        {
            _channel?.Dispose();
            _channel = null;
        }
    }

    private async Task<StatusCode> ProbeAsync(CancellationToken cancellationToken)
    {
        var headers = new Metadata { { SecurityHeaderInterceptor.HeaderName, "true" } };
        var options = new CallOptions(headers, deadline: null, cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.HealthCheckTimeout);
        try
        {
            using var call = _loopback.Value.AsyncServerStreamingCall(FetchX509SvidMethod, null, options.WithCancellationToken(timeout.Token), new X509SVIDRequest());
            return await call.ResponseStream.MoveNext(timeout.Token) ? StatusCode.OK : StatusCode.Unavailable;
        }
        catch (RpcException ex)
        {
            return ex.StatusCode;
        }
        catch (OperationCanceledException)
        {
            return StatusCode.DeadlineExceeded;
        }
    }

    private CallInvoker CreateLoopback()
    {
        lock (_gate)
        {
            _channel = UnixSocketChannel.Create(_options.SocketPath);
            return _channel.CreateCallInvoker();
        }
    }
}
