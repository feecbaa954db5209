namespace Spiffe.Core;

/// <summary>
/// Remembers the Workload Proof Tokens a verifier has accepted until they expire, so each is accepted once. Shared
/// by every verifier that serves one audience; implementations must be thread-safe.
/// </summary>
public interface IWptReplayCache
{
    /// <summary>Records a proof unless it is already recorded.</summary>
    /// <param name="key">The proof's identity: the sender's SPIFFE ID and the proof's <c>jti</c>, as the verifier composes them.</param>
    /// <param name="expiresAt">When the proof stops being acceptable; the entry may be forgotten after that.</param>
    /// <param name="now">The current time, for pruning expired entries.</param>
    /// <returns>True when the key was recorded now; false when it was already recorded (a replay) or the cache
    /// cannot take more entries. Either way a false result means the proof must be refused.</returns>
    bool TryAdd(string key, DateTimeOffset expiresAt, DateTimeOffset now);
}
