using Spiffe.Core;

namespace Spiffe.Server.DataStore;

/// <summary>
/// A registration entry as the datastore keeps it. Times are Unix seconds (0 = not set). TTLs are seconds
/// (0 = the server default). <see cref="RevisionNumber"/> and <see cref="CreatedAt"/> are assigned by the store: a
/// new entry starts at revision 0 and every update adds 1.
/// </summary>
internal sealed record RegistrationEntry
{
    /// <summary>The entry ID (SPIRE uses a UUID); the store assigns one when it is empty on create.</summary>
    public string Id { get; init; } = string.Empty;

    /// <summary>The SPIFFE ID SVIDs for this entry carry.</summary>
    public required SpiffeId SpiffeId { get; init; }

    /// <summary>The parent: an agent ID, another entry's SPIFFE ID, or <c>spiffe://td/spire/server</c> for node aliases.</summary>
    public required SpiffeId ParentId { get; init; }

    /// <summary>The selectors (at least one), kept sorted by type then value.</summary>
    public required IReadOnlyList<Selector> Selectors { get; init; }

    /// <summary>X509-SVID TTL in seconds; 0 = <c>default_x509_svid_ttl</c>.</summary>
    public int X509SvidTtl { get; init; }

    /// <summary>JWT-SVID TTL in seconds; 0 = <c>default_jwt_svid_ttl</c>.</summary>
    public int JwtSvidTtl { get; init; }

    /// <summary>Trust domain names (bare, e.g. <c>example.com</c>) whose bundles workloads of this entry receive.</summary>
    public IReadOnlyList<string> FederatesWith { get; init; } = [];

    /// <summary>Whether SVIDs of this entry are admin identities.</summary>
    public bool Admin { get; init; }

    /// <summary>Whether this entry is for a downstream SPIRE server.</summary>
    public bool Downstream { get; init; }

    /// <summary>When the entry expires, Unix seconds; 0 = never.</summary>
    public long ExpiresAt { get; init; }

    /// <summary>DNS SANs added to X509-SVIDs of this entry (the first one is not used as the subject CN).</summary>
    public IReadOnlyList<string> DnsNames { get; init; } = [];

    /// <summary>Revision number; 0 on create, +1 on every update.</summary>
    public long RevisionNumber { get; init; }

    /// <summary>Whether the SVID is stored by an SVIDStore plugin rather than served over the Workload API.</summary>
    public bool StoreSvid { get; init; }

    /// <summary>Operator hint returned with SVIDs.</summary>
    public string Hint { get; init; } = string.Empty;

    /// <summary>When the entry was created, Unix seconds.</summary>
    public long CreatedAt { get; init; }

    /// <summary>Whether JWT-SVIDs for this entry carry a <c>jti</c> (SPIRE 1.15.2 additional attribute).</summary>
    public bool JwtSvidIncludeJti { get; init; }

    /// <summary>Whether agents should not prefetch X509-SVIDs for this entry (additional attribute).</summary>
    public bool DisableX509SvidPrefetch { get; init; }
}
