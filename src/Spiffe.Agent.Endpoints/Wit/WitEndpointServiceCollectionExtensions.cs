using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Spiffe.Agent.Endpoints.Wit;

/// <summary>Registers the endpoint side of WIT-SVIDs.</summary>
internal static class WitEndpointServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="WitEndpointServices"/>, which makes the endpoint serve <c>FetchWITSVID</c>,
    /// <c>FetchWITBundles</c> and the signing oracle. Needs <c>AddWitCore</c> and <c>AddWorkloadEndpoint</c>.
    /// </summary>
    public static IServiceCollection AddWitEndpoint(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton<WitEndpointServices>();
        return services;
    }
}
