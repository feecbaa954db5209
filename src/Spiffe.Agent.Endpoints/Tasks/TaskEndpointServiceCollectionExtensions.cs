using Microsoft.Extensions.DependencyInjection;
using Spiffe.Agent.Endpoints.Admin;

namespace Spiffe.Agent.Endpoints.Tasks;

/// <summary>Registers the endpoint side of task-bound identities.</summary>
internal static class TaskEndpointServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="TaskEndpointServices"/> (picked up by the Workload API endpoint: policy, issuance checks,
    /// revocation stream) and the admin socket with the <c>Tasks</c> service. Needs the Core task interfaces and
    /// <c>IPeerTracker</c> registered elsewhere.
    /// </summary>
    public static IServiceCollection AddTaskEndpoints(this IServiceCollection services, TaskEndpointOptions options, AdminEndpointOptions admin)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(admin);
        services.AddSingleton(options);
        services.AddSingleton(admin);
        services.AddSingleton<TaskEndpointServices>();
        services.AddSingleton<AdminEndpointServer>();
        services.AddHostedService<AdminEndpointHostedService>();
        return services;
    }
}
