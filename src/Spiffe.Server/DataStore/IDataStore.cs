using Spiffe.Core;

namespace Spiffe.Server.DataStore;

/// <summary>
/// The server's persistent state: registration entries, attested agents, join tokens and bundles. One
/// implementation (<c>SqliteDataStore</c>) backed by SQLite in WAL mode with <c>synchronous=FULL</c>: when a
/// method returns, the change is durable. Every method is atomic (multi-row changes run in one transaction) and
/// throws <see cref="DataStoreException"/> for refused operations, leaving the store unchanged. Times are Unix seconds.
/// Inputs are expected to be validated by the API layer (SPIFFE IDs are typed; selectors must pass
/// <see cref="Selector.Validate"/>); the store re-checks what would corrupt it (e.g. an entry with no selectors).
/// </summary>
internal interface IDataStore
{
    // ---- Registration entries --------------------------------------------------------------------------------

    /// <summary>
    /// Creates an entry. An empty <see cref="RegistrationEntry.Id"/> gets a new UUID; <c>CreatedAt</c> is set from
    /// the store's clock and <c>RevisionNumber</c> to 0 (the values passed are ignored).
    /// </summary>
    /// <exception cref="DataStoreException"><see cref="DataStoreErrorCode.AlreadyExists"/> when the ID is taken or an
    /// entry with the same SPIFFE ID, parent ID and selectors exists.</exception>
    Task<RegistrationEntry> CreateEntryAsync(RegistrationEntry entry, CancellationToken cancellationToken);

    /// <summary>
    /// Creates an entry unless one with the same SPIFFE ID, parent ID and selector set exists, in which case that one
    /// is returned with <c>Created = false</c> (SPIRE's <c>CreateOrReturnRegistrationEntry</c>, used by BatchCreateEntry).
    /// </summary>
    /// <exception cref="DataStoreException"><see cref="DataStoreErrorCode.AlreadyExists"/> when the ID is taken by a different entry.</exception>
    Task<(RegistrationEntry Entry, bool Created)> CreateOrReturnEntryAsync(RegistrationEntry entry, CancellationToken cancellationToken);

    /// <summary>Returns the entry with this ID, or <see langword="null"/>.</summary>
    Task<RegistrationEntry?> GetEntryAsync(string id, CancellationToken cancellationToken);

    /// <summary>Lists entries matching <paramref name="filter"/>, ordered by ID. <paramref name="pageSize"/> 0 = all.</summary>
    Task<Page<RegistrationEntry>> ListEntriesAsync(EntryFilter filter, int pageSize, string? pageToken, CancellationToken cancellationToken);

    /// <summary>Counts entries matching <paramref name="filter"/>.</summary>
    Task<int> CountEntriesAsync(EntryFilter filter, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces every field of the entry with <paramref name="entry"/>'s (matched by ID) except <c>CreatedAt</c>, and
    /// bumps <c>RevisionNumber</c> by one. Callers applying an input mask read the entry, merge, then call this.
    /// </summary>
    /// <exception cref="DataStoreException"><see cref="DataStoreErrorCode.NotFound"/>; or
    /// <see cref="DataStoreErrorCode.AlreadyExists"/> if the result would duplicate another entry.</exception>
    Task<RegistrationEntry> UpdateEntryAsync(RegistrationEntry entry, CancellationToken cancellationToken);

    /// <summary>Deletes the entry and returns it, or returns <see langword="null"/> if there was none.</summary>
    Task<RegistrationEntry?> DeleteEntryAsync(string id, CancellationToken cancellationToken);

    /// <summary>Deletes every entry whose <c>ExpiresAt</c> is non-zero and before <paramref name="before"/>; returns how many.</summary>
    Task<int> PruneEntriesAsync(long before, CancellationToken cancellationToken);

    /// <summary>
    /// Returns every entry an agent with this ID and these node selectors may fetch SVIDs for: entries whose parent is
    /// the agent, plus entries below node-alias entries (parent <c>spiffe://td/spire/server</c>, selectors ⊆
    /// <paramref name="nodeSelectors"/>), recursively through descendants. Alias entries themselves are excluded.
    /// Expired entries (<c>ExpiresAt</c> set and not after the store's clock) count as deleted: they are neither
    /// returned nor followed to their descendants. Ordered by ID.
    /// </summary>
    Task<IReadOnlyList<RegistrationEntry>> GetAuthorizedEntriesAsync(SpiffeId agentId, IReadOnlyList<Selector> nodeSelectors, CancellationToken cancellationToken);

    // ---- Attested agents -------------------------------------------------------------------------------------

    /// <summary>Creates an attested agent.</summary>
    /// <exception cref="DataStoreException"><see cref="DataStoreErrorCode.AlreadyExists"/>.</exception>
    Task<AttestedAgent> CreateAttestedAgentAsync(AttestedAgent agent, CancellationToken cancellationToken);

    /// <summary>Returns the agent with this ID, or <see langword="null"/>.</summary>
    Task<AttestedAgent?> GetAttestedAgentAsync(SpiffeId id, CancellationToken cancellationToken);

    /// <summary>Lists agents matching <paramref name="filter"/>, ordered by ID. <paramref name="pageSize"/> 0 = all.</summary>
    Task<Page<AttestedAgent>> ListAttestedAgentsAsync(AgentFilter filter, int pageSize, string? pageToken, CancellationToken cancellationToken);

    /// <summary>Counts agents matching <paramref name="filter"/>.</summary>
    Task<int> CountAttestedAgentsAsync(AgentFilter filter, CancellationToken cancellationToken);

    /// <summary>Replaces every field of the agent (matched by ID), including its node selectors.</summary>
    /// <exception cref="DataStoreException"><see cref="DataStoreErrorCode.NotFound"/>.</exception>
    Task<AttestedAgent> UpdateAttestedAgentAsync(AttestedAgent agent, CancellationToken cancellationToken);

    /// <summary>Deletes the agent (evict: it must attest again) and returns it, or <see langword="null"/>.</summary>
    Task<AttestedAgent?> DeleteAttestedAgentAsync(SpiffeId id, CancellationToken cancellationToken);

    // ---- Join tokens -----------------------------------------------------------------------------------------

    /// <summary>Stores a join token.</summary>
    /// <exception cref="DataStoreException"><see cref="DataStoreErrorCode.AlreadyExists"/>.</exception>
    Task CreateJoinTokenAsync(JoinToken token, CancellationToken cancellationToken);

    /// <summary>Returns the token, or <see langword="null"/>.</summary>
    Task<JoinToken?> GetJoinTokenAsync(string token, CancellationToken cancellationToken);

    /// <summary>Deletes the token; returns whether it existed. Deleting is how a token is consumed (atomically: one winner).</summary>
    Task<bool> DeleteJoinTokenAsync(string token, CancellationToken cancellationToken);

    /// <summary>Deletes tokens that expired before <paramref name="before"/>; returns how many.</summary>
    Task<int> PruneJoinTokensAsync(long before, CancellationToken cancellationToken);

    // ---- Bundles ---------------------------------------------------------------------------------------------

    /// <summary>Returns the bundle of this trust domain (own or federated), or <see langword="null"/>.</summary>
    Task<BundleRecord?> GetBundleAsync(TrustDomain trustDomain, CancellationToken cancellationToken);

    /// <summary>Lists bundles (the own one included), ordered by trust domain name. <paramref name="pageSize"/> 0 = all.</summary>
    Task<Page<BundleRecord>> ListBundlesAsync(int pageSize, string? pageToken, CancellationToken cancellationToken);

    /// <summary>Counts bundles (the own one included).</summary>
    Task<int> CountBundlesAsync(CancellationToken cancellationToken);

    /// <summary>Creates a bundle; its sequence number is kept as given (or 1 when 0).</summary>
    /// <exception cref="DataStoreException"><see cref="DataStoreErrorCode.AlreadyExists"/>.</exception>
    Task<BundleRecord> CreateBundleAsync(BundleRecord bundle, CancellationToken cancellationToken);

    /// <summary>Replaces the authorities and refresh hint of an existing bundle; the sequence number becomes old + 1.</summary>
    /// <exception cref="DataStoreException"><see cref="DataStoreErrorCode.NotFound"/>.</exception>
    Task<BundleRecord> UpdateBundleAsync(BundleRecord bundle, CancellationToken cancellationToken);

    /// <summary>Creates or replaces (as <see cref="UpdateBundleAsync"/>) a bundle.</summary>
    Task<BundleRecord> SetBundleAsync(BundleRecord bundle, CancellationToken cancellationToken);

    /// <summary>
    /// Adds the authorities of <paramref name="bundle"/> that the stored bundle lacks (X.509 by DER, keys by
    /// <c>kid</c>), creating the bundle if absent; bumps the sequence number only when something was added.
    /// </summary>
    Task<BundleRecord> AppendBundleAsync(BundleRecord bundle, CancellationToken cancellationToken);

    /// <summary>Deletes a bundle, handling entries that federate with it per <paramref name="mode"/>.</summary>
    /// <exception cref="DataStoreException"><see cref="DataStoreErrorCode.NotFound"/>; or
    /// <see cref="DataStoreErrorCode.FailedPrecondition"/> for <see cref="BundleDeleteMode.Restrict"/> while referenced.</exception>
    Task DeleteBundleAsync(TrustDomain trustDomain, BundleDeleteMode mode, CancellationToken cancellationToken);
}
