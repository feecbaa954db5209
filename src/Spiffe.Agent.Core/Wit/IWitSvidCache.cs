using Spiffe.Agent.Core.Attestation;

namespace Spiffe.Agent.Core.Wit;

/// <summary>
/// What the Workload API endpoint needs for WIT-SVIDs and the signing oracle. WITs are minted on demand only (never
/// prefetched), each with a fresh key that stays in the agent, and rotated at a jittered half-life while they are in
/// use. Entries match workloads as for X509-SVIDs. Thread-safe.
/// </summary>
internal interface IWitSvidCache
{
    /// <summary>Whether the own trust domain publishes WIT authorities, i.e. the server issues WIT-SVIDs.</summary>
    bool IsEnabled { get; }

    /// <summary>
    /// Subscribes to the WIT state for these workload selectors. With <paramref name="withSvids"/> the missing WITs of
    /// the matching entries are minted at once, and the first update arrives when every matching entry has one (at
    /// once when nothing matches); later updates follow rotations and entry changes. Without it (bundles only) nothing
    /// is minted and updates follow entry and bundle changes.
    /// </summary>
    IWitSubscription Subscribe(SelectorSet workloadSelectors, bool withSvids);

    /// <summary>
    /// The current WIT identities for these selectors (ordered by entry ID, de-duplicated by hint), minting missing
    /// ones now. Empty when nothing matches.
    /// </summary>
    /// <exception cref="WitSvidUnavailableException">A WIT could not be minted for one of the entries.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    Task<IReadOnlyList<WitIdentity>> GetIdentitiesAsync(SelectorSet workloadSelectors, CancellationToken cancellationToken);
}
