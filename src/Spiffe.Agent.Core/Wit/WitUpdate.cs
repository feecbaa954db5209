using Spiffe.Agent.Core.Workload;
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

    /// <summary>
    /// The entries the workload matches (ordered by entry ID, de-duplicated by hint), with or without a WIT yet: what it
    /// is entitled to. Empty when it matches none.
    /// </summary>
    public required IReadOnlyList<RegistrationEntry> Entries { get; init; }

    /// <summary>
    /// The own trust domain's WIT bundle (without keys when the server publishes no WIT authorities) and those of the
    /// foreign trust domains the workload's entries federate with.
    /// </summary>
    public required WitBundleSet Bundles { get; init; }
}
