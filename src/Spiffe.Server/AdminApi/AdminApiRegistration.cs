using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Spiffe.Server.AdminApi;

/// <summary>
/// The admin API's hook into the server host (owned by the admin API; the host calls both methods once).
/// <see cref="Map"/> receives a route group bound to the admin Unix socket listener: the Entry, Agent and Bundle
/// admin services mapped there are served on the socket only (callers there are local administrators, as in SPIRE).
/// </summary>
internal static class AdminApiRegistration
{
    /// <summary>Registers the admin API's own services (called before the host is built).</summary>
    /// <param name="services">The host's service collection.</param>
    public static void AddServices(IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddSingleton<EntryAdminService>();
        services.AddSingleton<AgentAdminService>();
        services.AddSingleton<BundleAdminService>();
    }

    /// <summary>Maps the admin gRPC services onto the admin socket listener.</summary>
    /// <param name="endpoints">A route group whose endpoints are only reachable through the admin socket.</param>
    public static void Map(IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapGrpcService<EntryAdminService>();
        endpoints.MapGrpcService<AgentAdminService>();
        endpoints.MapGrpcService<BundleAdminService>();
    }
}
