using Grpc.Core;
using Spiffe.Proto.Grpc.Health.V1;

namespace Spiffe.Agent.Benchmarks;

/// <summary>The empty call of the comparison: answers SERVING at once.</summary>
internal sealed class BaselineHealthService : Health.HealthBase
{
    private static readonly Task<HealthCheckResponse> Serving =
        Task.FromResult(new HealthCheckResponse { Status = HealthCheckResponse.Types.ServingStatus.Serving });

    public override Task<HealthCheckResponse> Check(HealthCheckRequest request, ServerCallContext context) => Serving;
}
