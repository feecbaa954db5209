using Microsoft.Extensions.DependencyInjection;

namespace Spiffe.Agent.Core.Wit;

/// <summary>Registers the WIT-SVID back end.</summary>
internal static class WitServiceCollectionExtensions
{
    /// <summary>
    /// Registers <paramref name="options"/>, <see cref="IWitSvidCache"/> and its upkeep service. Needs <c>AddAgentCore</c>
    /// and an <see cref="IWitSvidSigner"/> (Spiffe.Agent.ServerApi's <c>AddWitServerApi</c>); uses the task services
    /// (<c>ITaskCredentialRecorder</c>, <c>ITaskDirectory</c>) when they are registered.
    /// </summary>
    /// <exception cref="ArgumentException">The options are not valid.</exception>
    public static IServiceCollection AddWitCore(this IServiceCollection services, WitOptions options)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("invalid WIT options: " + string.Join("; ", errors), nameof(options));
        }

        services.AddSingleton(options);
        services.AddSingleton<WitSvidCache>();
        services.AddSingleton<IWitSvidCache>(sp => sp.GetRequiredService<WitSvidCache>());
        services.AddHostedService<WitMaintenanceService>();
        return services;
    }
}
