using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Matching;

namespace Spiffe.Server.Hosting;

/// <summary>
/// Routes by listener: an endpoint with <see cref="ListenerMetadata"/> only matches requests that arrived on that
/// listener (TLS = agent API, Unix socket = admin, plain TCP = health). This lets the agent-facing and admin services
/// map different classes for the same gRPC service name in one application. Endpoints without the metadata (gRPC
/// health) match on every listener.
/// </summary>
internal sealed class ListenerMatcherPolicy : MatcherPolicy, IEndpointSelectorPolicy
{
    /// <inheritdoc />
    public override int Order => 0;

    /// <summary>The listener a request arrived on.</summary>
    public static ListenerKind ListenerOf(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Request.IsHttps)
        {
            return ListenerKind.AgentApi;
        }

        // Unix socket connections have no IP endpoint; the health listener is plain TCP.
        return context.Connection.LocalIpAddress is null ? ListenerKind.AdminApi : ListenerKind.Health;
    }

    /// <inheritdoc />
    public bool AppliesToEndpoints(IReadOnlyList<Endpoint> endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        return endpoints.Any(e => e.Metadata.GetMetadata<ListenerMetadata>() is not null);
    }

    /// <inheritdoc />
    public Task ApplyAsync(HttpContext httpContext, CandidateSet candidates)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        var listener = ListenerOf(httpContext);
        for (var i = 0; i < candidates.Count; i++)
        {
            if (candidates[i].Endpoint?.Metadata.GetMetadata<ListenerMetadata>() is { } metadata && metadata.Kind != listener)
            {
                candidates.SetValidity(i, false);
            }
        }

        return Task.CompletedTask;
    }
}
