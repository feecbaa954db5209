using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Spiffe.Agent.Core.Cache;
using Spiffe.Agent.Core.Node;
using Spiffe.Agent.Core.Server;
using Spiffe.Agent.Core.Sync;
using Spiffe.Agent.Core.Workload;

namespace Spiffe.Agent.Core;

/// <summary>Registers the agent back end with the composition root's service collection.</summary>
internal static class AgentCoreServiceCollectionExtensions
{
    /// <summary>
    /// Registers the agent back end: <see cref="AgentOptions"/> (as given), <see cref="TimeProvider.System"/> and
    /// <see cref="Random.Shared"/> unless registered, <see cref="IAgentStartup"/>, <see cref="IWorkloadIdentityCache"/>,
    /// <see cref="IAgentCredentialSource"/>, <see cref="AgentMetrics"/> and the hosted service that attests, syncs and
    /// rotates. The server client is registered separately by <c>services.AddSpireServerApi()</c> from
    /// Spiffe.Agent.ServerApi; logging by the host.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="options">Validated options (<see cref="AgentOptions.Validate"/> returned no errors).</param>
    /// <returns>The same service collection.</returns>
    /// <exception cref="ArgumentException">The options are not valid.</exception>
    public static IServiceCollection AddAgentCore(this IServiceCollection services, AgentOptions options)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("invalid agent options: " + string.Join("; ", errors), nameof(options));
        }

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(Random.Shared);
        services.AddSingleton(options);
        services.AddSingleton<AgentMetrics>();
        services.AddSingleton<AgentCredentials>();
        services.AddSingleton<IAgentCredentialSource>(sp => sp.GetRequiredService<AgentCredentials>());
        services.AddSingleton(_ => AgentKeyManager.Create(options));
        services.AddSingleton(_ => new AgentDataStore(options.DataDirectory));
        services.AddSingleton<NodeSvidManager>();
        services.AddSingleton<JwtSvidCache>();
        services.AddSingleton<WorkloadIdentityCache>();
        services.AddSingleton<IWorkloadIdentityCache>(sp => sp.GetRequiredService<WorkloadIdentityCache>());
        services.AddSingleton<EntrySynchronizer>();
        services.AddSingleton<AgentStartup>();
        services.AddSingleton<IAgentStartup>(sp => sp.GetRequiredService<AgentStartup>());
        services.AddHostedService<AgentService>();
        return services;
    }
}
