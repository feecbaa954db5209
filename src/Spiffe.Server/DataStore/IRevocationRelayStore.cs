namespace Spiffe.Server.DataStore;

/// <summary>
/// Durable storage of the revocation relay: revocations published by agents, each with a sequence number that only
/// grows (numbers are never reused, even after pruning). Implemented by <c>SqliteDataStore</c>.
/// </summary>
internal interface IRevocationRelayStore
{
    /// <summary>
    /// Records the revocations in one transaction. One whose (kind, credential ID) is already recorded is skipped (the
    /// first publication wins), as is one that expired at or before <paramref name="now"/>. Returns the relay's
    /// sequence number afterwards.
    /// </summary>
    Task<ulong> PublishRevocationsAsync(IReadOnlyList<StoredRevocation> revocations, long now, CancellationToken cancellationToken);

    /// <summary>
    /// Returns the revocations with a sequence number above <paramref name="afterSequence"/> that expire after
    /// <paramref name="now"/>, in sequence order, and the current sequence number. An
    /// <paramref name="afterSequence"/> above the current number (a caller that saw another relay's numbers) is
    /// treated as 0.
    /// </summary>
    Task<(IReadOnlyList<StoredRevocation> Revocations, ulong Sequence)> ListRevocationsAsync(ulong afterSequence, long now, CancellationToken cancellationToken);

    /// <summary>Deletes revocations that expire at or before <paramref name="now"/>; returns how many.</summary>
    Task<int> PruneRevocationsAsync(long now, CancellationToken cancellationToken);
}
