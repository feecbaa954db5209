using Spiffe.Core;

namespace Spiffe.Server.Config;

/// <summary>
/// A narrow admin grant (<c>server.task_grants.grant "&lt;admin SPIFFE ID&gt;" { id_prefix, max_ttl }</c>): a caller
/// presenting an admin SVID of <see cref="AdminId"/> over TLS may only create, update and delete registration entries
/// whose SPIFFE IDs are <see cref="IdPrefix"/> or below it, parented to the agent that owns its admin entry, expiring
/// within <see cref="MaxTtl"/>. Admin SPIFFE IDs without a grant keep full admin rights, as in SPIRE.
/// </summary>
/// <param name="AdminId">The SPIFFE ID of the admin entries the grant narrows.</param>
/// <param name="IdPrefix">The SPIFFE ID prefix (written with or without a trailing <c>/</c>); matched at a path-segment boundary.</param>
/// <param name="MaxTtl">The longest entry lifetime (<c>expires_at</c> from now) and SVID TTL the caller may set.</param>
internal sealed record TaskGrant(SpiffeId AdminId, SpiffeId IdPrefix, TimeSpan MaxTtl)
{
    /// <summary>Whether <paramref name="id"/> is <see cref="IdPrefix"/> or below it (<c>/agent</c> covers <c>/agent/x</c>, not <c>/agents</c>).</summary>
    /// <param name="id">A SPIFFE ID.</param>
    /// <returns>True when covered.</returns>
    public bool Covers(SpiffeId id) =>
        id.TrustDomain == IdPrefix.TrustDomain
        && (id.Path == IdPrefix.Path || id.Path.StartsWith(IdPrefix.Path + "/", StringComparison.Ordinal));
}
