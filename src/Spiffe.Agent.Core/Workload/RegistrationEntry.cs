using Spiffe.Agent.Core.Attestation;
using Spiffe.Core;

namespace Spiffe.Agent.Core.Workload;

/// <summary>
/// A registration entry the server authorised for this agent, as the agent sees it (the fields of SPIRE's agent
/// output mask plus the TTLs). Immutable. Two instances describe the same version of an entry when
/// <see cref="Id"/>, <see cref="RevisionNumber"/> and <see cref="CreatedAt"/> are equal (<see cref="IsSameRevision"/>);
/// record equality compares collections by reference and is not meant for that.
/// </summary>
internal sealed record RegistrationEntry
{
    /// <summary>The server-assigned entry ID; identities are ordered by it (ordinal).</summary>
    public required string Id { get; init; }

    /// <summary>The SPIFFE ID SVIDs minted for this entry carry.</summary>
    public required SpiffeId SpiffeId { get; init; }

    /// <summary>
    /// The selectors a workload must all have for the entry to apply (never empty: the agent drops entries without
    /// selectors).
    /// </summary>
    public required SelectorSet Selectors { get; init; }

    /// <summary>Foreign trust domains whose bundles are served to workloads of this entry, in server order.</summary>
    public IReadOnlyList<TrustDomain> FederatesWith { get; init; } = [];

    /// <summary>Operator hint passed to workloads; empty when none.</summary>
    public string Hint { get; init; } = string.Empty;

    /// <summary>Creation time (whole seconds); with <see cref="RevisionNumber"/> it detects entry-ID reuse.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>Bumped by the server on every change of the entry.</summary>
    public long RevisionNumber { get; init; }

    /// <summary>Requested X509-SVID lifetime; <see cref="TimeSpan.Zero"/> means the server default.</summary>
    public TimeSpan X509SvidTtl { get; init; }

    /// <summary>Requested JWT-SVID lifetime; <see cref="TimeSpan.Zero"/> means the server default.</summary>
    public TimeSpan JwtSvidTtl { get; init; }

    /// <summary>The entry grants admin rights on the server API.</summary>
    public bool Admin { get; init; }

    /// <summary>The entry is for a downstream server.</summary>
    public bool Downstream { get; init; }

    /// <summary>The SVID is pushed to an SVID store rather than served on the Workload API (never matched here).</summary>
    public bool StoreSvid { get; init; }

    /// <summary>Do not mint an X509-SVID before a workload asks for it.</summary>
    public bool DisableX509SvidPrefetch { get; init; }

    /// <summary>Every JWT-SVID gets a fresh <c>jti</c>, so JWT-SVIDs of this entry are never cached.</summary>
    public bool JwtSvidIncludeJti { get; init; }

    /// <summary>
    /// When the entry itself expires (a task's deadline), or null for never. No SVID minted for the entry may outlive
    /// it: the agent drops and refuses one that would.
    /// </summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>True when a credential expiring at <paramref name="notAfter"/> would outlive the entry.</summary>
    public bool Outlives(DateTimeOffset notAfter) => ExpiresAt is { } expiresAt && notAfter > expiresAt;

    /// <summary>True when <paramref name="other"/> has the same ID, revision number and creation time.</summary>
    public bool IsSameRevision(RegistrationEntry other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return string.Equals(Id, other.Id, StringComparison.Ordinal)
            && RevisionNumber == other.RevisionNumber
            && CreatedAt == other.CreatedAt;
    }
}
