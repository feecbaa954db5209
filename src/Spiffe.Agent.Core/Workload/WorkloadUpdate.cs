using Spiffe.Core;

namespace Spiffe.Agent.Core.Workload;

/// <summary>
/// The complete state a workload is entitled to at one moment: every identity it matches and the bundles that go
/// with them. Each update replaces the previous one entirely (full state, never a delta). Immutable.
/// </summary>
internal sealed class WorkloadUpdate
{
    /// <summary>
    /// The workload's identities ordered by entry ID (ordinal), already de-duplicated by hint as SPIRE does: among
    /// identities with the same non-empty hint only the oldest (<see cref="RegistrationEntry.CreatedAt"/>, then the
    /// smaller entry ID) is kept. Empty when the workload matches no entry.
    /// </summary>
    public required IReadOnlyList<WorkloadIdentity> Identities { get; init; }

    /// <summary>The own trust domain's X.509 roots (the <c>bundle</c> field of every X509-SVID response element).</summary>
    public required X509Bundle X509Bundle { get; init; }

    /// <summary>The own trust domain's JWT authorities.</summary>
    public required JwtBundle JwtBundle { get; init; }

    /// <summary>
    /// X.509 bundles of the foreign trust domains named in the <c>federates_with</c> of any entry the workload
    /// matches (before hint de-duplication), when the agent has them; never the own trust domain.
    /// </summary>
    public required X509BundleSet FederatedX509Bundles { get; init; }

    /// <summary>JWT bundles of the same foreign trust domains as <see cref="FederatedX509Bundles"/>.</summary>
    public required JwtBundleSet FederatedJwtBundles { get; init; }
}
