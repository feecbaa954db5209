using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Spiffe.Agent.Core.Wit;

namespace Spiffe.Agent.ServerApi.Wit;

/// <summary>Registers the WIT-SVID side of the server API.</summary>
internal static class WitServerApiServiceCollectionExtensions
{
    /// <summary>Registers <see cref="IWitSvidSigner"/> (<c>BatchNewWITSVID</c>). Needs <c>AddSpireServerApi</c>.</summary>
    public static IServiceCollection AddWitServerApi(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton<IWitSvidSigner, WitSvidClient>();
        return services;
    }
}
