namespace Spiffe.Agent.Core.Wit;

/// <summary>The outcome of one <see cref="WitSvidMintRequest"/>: the token, or why there is none.</summary>
/// <param name="EntryId">The entry it was requested for.</param>
/// <param name="Token">The WIT-SVID in compact serialization; null on failure.</param>
/// <param name="Error">The server's per-item status (code and message); null on success.</param>
internal sealed record WitSvidMintResult(string EntryId, string? Token, string? Error)
{
    /// <summary>Names the entry and the outcome only; the token is never printed.</summary>
    public override string ToString() => Token is null ? $"WIT-SVID for entry {EntryId} failed: {Error}" : $"WIT-SVID for entry {EntryId}";
}
