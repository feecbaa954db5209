using Grpc.AspNetCore.Server;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Matching;

namespace Spiffe.Server.AdminApi;

/// <summary>
/// Serves the admin RPCs on the agent-facing TLS listener too. The admin services are mapped a second time for that
/// listener (marked with <see cref="AdminOverTlsMetadata"/>), so a TLS request for an Entry, Agent or Bundle method
/// has two candidates: the agent-facing service's and the admin service's. This policy, which runs after the host's
/// listener policy, keeps the admin candidate for the admin methods and the agent-facing one for everything else
/// (attestation, authorized entries, bundles for agents). The admin services authorize each call themselves
/// (<see cref="AdminAuthorizer"/>).
/// </summary>
internal sealed class AdminOverTlsMatcherPolicy : MatcherPolicy, IEndpointSelectorPolicy
{
    /// <summary>The methods the admin services answer on TLS, by gRPC service name.</summary>
    private static readonly Dictionary<string, HashSet<string>> AdminMethods = new(StringComparer.Ordinal)
    {
        ["spire.api.server.entry.v1.Entry"] = new(StringComparer.Ordinal)
        {
            "CountEntries", "ListEntries", "GetEntry", "BatchCreateEntry", "BatchUpdateEntry", "BatchDeleteEntry",
        },
        ["spire.api.server.agent.v1.Agent"] = new(StringComparer.Ordinal)
        {
            "CountAgents", "ListAgents", "GetAgent", "DeleteAgent", "BanAgent", "CreateJoinToken",
        },
        ["spire.api.server.bundle.v1.Bundle"] = new(StringComparer.Ordinal)
        {
            "CountBundles", "AppendBundle", "ListFederatedBundles", "BatchCreateFederatedBundle",
            "BatchUpdateFederatedBundle", "BatchSetFederatedBundle", "BatchDeleteFederatedBundle",
        },
    };

    /// <inheritdoc/>
    public override int Order => 1;

    /// <summary>Whether the admin services answer this method on the TLS listener.</summary>
    /// <param name="serviceName">The fully qualified gRPC service name.</param>
    /// <param name="methodName">The method name.</param>
    /// <returns>Whether it is an admin method.</returns>
    public static bool IsAdminMethod(string serviceName, string methodName) =>
        AdminMethods.TryGetValue(serviceName, out var methods) && methods.Contains(methodName);

    /// <inheritdoc/>
    public bool AppliesToEndpoints(IReadOnlyList<Endpoint> endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        return endpoints.Any(e => e.Metadata.GetMetadata<AdminOverTlsMetadata>() is not null);
    }

    /// <inheritdoc/>
    public Task ApplyAsync(HttpContext httpContext, CandidateSet candidates)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        for (var i = 0; i < candidates.Count; i++)
        {
            if (!candidates.IsValidCandidate(i) || candidates[i].Endpoint?.Metadata.GetMetadata<AdminOverTlsMetadata>() is null)
            {
                continue;
            }

            var method = candidates[i].Endpoint!.Metadata.GetMetadata<GrpcMethodMetadata>()?.Method;
            var admin = method is not null && IsAdminMethod(method.ServiceName, method.Name);
            for (var j = 0; j < candidates.Count; j++)
            {
                var isAdminCopy = candidates[j].Endpoint?.Metadata.GetMetadata<AdminOverTlsMetadata>() is not null;
                if (candidates.IsValidCandidate(j) && isAdminCopy != admin)
                {
                    candidates.SetValidity(j, false);
                }
            }
        }

        return Task.CompletedTask;
    }
}
