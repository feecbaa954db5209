using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Spiffe.Server.Hosting;

namespace Spiffe.Server.AdminApi;

/// <summary>
/// The admin API's hook into the server host (owned by the admin API; the host calls both methods once).
/// <see cref="Map"/> receives a route group bound to the admin Unix socket listener: the Entry, Agent and Bundle admin
/// services are mapped there (callers on the socket are local administrators, as in SPIRE) and once more for the
/// agent-facing TLS listener, where <see cref="AdminOverTlsMatcherPolicy"/> routes only the admin methods to them and
/// <see cref="AdminAuthorizer"/> admits only callers whose SVID belongs to an <c>admin</c> entry.
/// </summary>
internal static class AdminApiRegistration
{
    /// <summary>Registers the admin API's own services (called before the host is built).</summary>
    /// <param name="services">The host's service collection.</param>
    public static void AddServices(IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddSingleton<AdminAuthorizer>();
        services.AddSingleton<TaskGrants>();
        services.AddSingleton<EntryAdminService>();
        services.AddSingleton<AgentAdminService>();
        services.AddSingleton<BundleAdminService>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<MatcherPolicy, AdminOverTlsMatcherPolicy>());
    }

    /// <summary>Maps the admin gRPC services onto the admin socket listener and, for admin SVIDs, the TLS listener.</summary>
    /// <param name="endpoints">A route group whose endpoints are only reachable through the admin socket.</param>
    public static void Map(IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        MapServices(endpoints);
        MapServices(endpoints.MapGroup(string.Empty).WithMetadata(new ListenerMetadata(ListenerKind.AgentApi), AdminOverTlsMetadata.Instance));
    }

    private static void MapServices(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGrpcService<EntryAdminService>();
        endpoints.MapGrpcService<AgentAdminService>();
        endpoints.MapGrpcService<BundleAdminService>();
    }
}
