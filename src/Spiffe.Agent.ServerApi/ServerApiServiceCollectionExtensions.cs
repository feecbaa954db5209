using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Spiffe.Agent.Core.Server;
using Spiffe.Agent.Core.Tasks;
using Spiffe.Agent.ServerApi.Tasks;
using Spiffe.Agent.ServerApi.Transport;

namespace Spiffe.Agent.ServerApi;

/// <summary>Registers the SPIRE server client with the composition root's service collection.</summary>
internal static class ServerApiServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="ISpireServerClient"/> (gRPC over TLS to the configured server). Needs the services
    /// <c>AddAgentCore</c> registers (options, credential source, time provider) and logging.
    /// </summary>
    public static IServiceCollection AddSpireServerApi(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton<ServerChannels>();
        services.TryAddSingleton<IServerChannels>(sp => sp.GetRequiredService<ServerChannels>());
        services.TryAddSingleton<ISpireServerClient, SpireServerClient>();
        return services;
    }

    /// <summary>
    /// Registers the task side of the server API: <see cref="ITaskEntryRegistrar"/> (Entry admin calls with the agent's
    /// admin SVID) and <see cref="IRevocationRelay"/>. Needs <see cref="AddSpireServerApi"/> and
    /// <c>AddTaskIdentityCore</c>.
    /// </summary>
    public static IServiceCollection AddTaskServerApi(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton<ITaskEntryRegistrar, TaskEntryRegistrar>();
        services.TryAddSingleton<IRevocationRelay, RevocationRelayClient>();
        return services;
    }
}
