using Spiffe.Core;

namespace Spiffe.Agent.Core.Wit;

/// <summary>The WIT state a workload is entitled to at one moment (full state, never a delta). Immutable.</summary>
internal sealed class WitUpdate
{
    /// <summary>
    /// The workload's WIT identities, ordered by entry ID and de-duplicated by hint like the X.509 identities. Empty in
    /// a bundles-only subscription and when the workload matches no entry.
    /// </summary>
    public required IReadOnlyList<WitIdentity> Identities { get; init; }

    /// <summary>Whether the workload matches at least one entry (whether it is entitled to bundles).</summary>
    public required bool HasEntries { get; init; }

    /// <summary>
    /// The own trust domain's WIT bundle (without keys when the server publishes no WIT authorities) and those of the
    /// foreign trust domains the workload's entries federate with.
    /// </summary>
    public required WitBundleSet Bundles { get; init; }
}
