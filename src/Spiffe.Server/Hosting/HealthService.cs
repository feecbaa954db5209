using Grpc.Core;
using Spiffe.Proto.Grpc.Health.V1;

namespace Spiffe.Server.Hosting;

/// <summary><c>grpc.health.v1.Health</c> on both listeners: the server (service name "") is SERVING while it runs.</summary>
internal sealed class HealthService : Health.HealthBase
{
    /// <inheritdoc />
    public override Task<HealthCheckResponse> Check(HealthCheckRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.Service.Length == 0
            ? Task.FromResult(new HealthCheckResponse { Status = HealthCheckResponse.Types.ServingStatus.Serving })
            : throw new RpcException(new Status(StatusCode.NotFound, "unknown service"));
    }

    /// <inheritdoc />
    public override async Task Watch(HealthCheckRequest request, IServerStreamWriter<HealthCheckResponse> responseStream, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(responseStream);
        ArgumentNullException.ThrowIfNull(context);
        var status = request.Service.Length == 0
            ? HealthCheckResponse.Types.ServingStatus.Serving
            : HealthCheckResponse.Types.ServingStatus.ServiceUnknown;
        await responseStream.WriteAsync(new HealthCheckResponse { Status = status });
        try
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, TimeProvider.System, context.CancellationToken);
        }
        catch (OperationCanceledException)
        {
        }
    }
}
