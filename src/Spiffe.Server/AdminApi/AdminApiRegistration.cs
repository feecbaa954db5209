using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Spiffe.Server.AdminApi;

/// <summary>
/// The admin API's hook into the server host (owned by the admin API; the host calls both methods once).
/// <see cref="Map"/> receives a route group bound to the admin Unix socket listener: every gRPC service mapped there
/// (e.g. <c>endpoints.MapGrpcService&lt;EntryAdminService&gt;()</c>) is served on the socket only, so it may reuse
/// service names that the agent-facing TCP listener also serves.
/// </summary>
internal static class AdminApiRegistration
{
    /// <summary>Registers the admin API's own services (called before the host is built).</summary>
    /// <param name="services">The host's service collection.</param>
    public static void AddServices(IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
    }

    /// <summary>Maps the admin gRPC services onto the admin socket listener.</summary>
    /// <param name="endpoints">A route group whose endpoints are only reachable through the admin socket.</param>
    public static void Map(IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
    }
}
