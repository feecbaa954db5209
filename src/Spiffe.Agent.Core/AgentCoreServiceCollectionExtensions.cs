using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Spiffe.Agent.Core;

/// <summary>Registers the agent back end with the composition root's service collection.</summary>
internal static class AgentCoreServiceCollectionExtensions
{
    /// <summary>
    /// Registers the agent back end: <see cref="AgentOptions"/> (as given), <see cref="TimeProvider.System"/> unless
    /// one is registered, <see cref="IAgentStartup"/>, <see cref="Workload.IWorkloadIdentityCache"/>, the agent metrics
    /// and the hosted service that attests, syncs and rotates. The server client is registered separately by
    /// <c>services.AddSpireServerApi()</c> from Spiffe.Agent.ServerApi.
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
        services.AddSingleton(options);
        return services;
    }
}
