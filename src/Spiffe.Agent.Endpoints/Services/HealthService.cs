using Grpc.Core;
using Microsoft.Extensions.Logging;
using Spiffe.Agent.Endpoints.Diagnostics;
using Spiffe.Agent.Endpoints.Hosting;
using Spiffe.Proto.Grpc.Health.V1;

namespace Spiffe.Agent.Endpoints.Services;

/// <summary>
/// <c>grpc.health.v1.Health</c> on the Workload API socket, with SPIRE's semantics: only the empty service name is
/// accepted, and the agent is SERVING when a loopback <c>FetchX509SVID</c> through its own socket returns a message
/// or <c>PermissionDenied</c> (the agent itself need not have an identity); anything else is NOT_SERVING.
/// </summary>
internal sealed class HealthService : Health.HealthBase
{
    private readonly WorkloadApiProbe _probe;
    private readonly ILogger<HealthService> _logger;

    /// <summary>Creates the service.</summary>
    public HealthService(WorkloadApiProbe probe, ILogger<HealthService> logger)
    {
        _probe = probe ?? throw new ArgumentNullException(nameof(probe));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
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

        var status = await _probe.FetchX509SvidAsync(context.CancellationToken);
        if (status is not (StatusCode.OK or StatusCode.PermissionDenied))
        {
            EndpointsLog.HealthCheckFailed(_logger, status);
            return new HealthCheckResponse { Status = HealthCheckResponse.Types.ServingStatus.NotServing };
        }

        return new HealthCheckResponse { Status = HealthCheckResponse.Types.ServingStatus.Serving };
    }
}
