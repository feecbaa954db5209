using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Spiffe.Agent.Endpoints.Diagnostics;
using Spiffe.Agent.Endpoints.Hosting;

namespace Spiffe.Agent.Endpoints;

/// <summary>Registers the Workload API endpoint with the agent's service collection.</summary>
internal static class WorkloadEndpointServiceCollectionExtensions
{
    /// <summary>
    /// Registers the endpoint: <paramref name="options"/>, <see cref="WorkloadApiMetrics"/>, the
    /// <see cref="WorkloadEndpointServer"/> and the hosted service that opens the socket after
    /// <c>IAgentStartup.Ready</c>. Needs <c>IWorkloadIdentityCache</c>, <c>IAgentStartup</c>,
    /// <c>IWorkloadAttestationService</c>, <c>IPeerTracker</c>, <c>IMeterFactory</c> and logging registered elsewhere.
    /// </summary>
    public static IServiceCollection AddWorkloadEndpoint(this IServiceCollection services, WorkloadEndpointOptions options)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.AddSingleton(options);
        services.TryAddSingleton<WorkloadApiMetrics>();
        services.TryAddSingleton<WorkloadEndpointServer>();
        services.AddSingleton<WorkloadEndpointHostedService>();
        services.AddHostedService(sp => sp.GetRequiredService<WorkloadEndpointHostedService>());
        return services;
    }
}
