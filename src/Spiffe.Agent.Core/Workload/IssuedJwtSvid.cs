using Spiffe.Core;

namespace Spiffe.Agent.Core.Workload;

/// <summary>A JWT-SVID signed by the server for one registration entry (returned as the server issued it).</summary>
/// <param name="EntryId">The entry the token was minted for.</param>
/// <param name="SpiffeId">The token's subject.</param>
/// <param name="Token">The JWS compact serialisation; a bearer credential, never logged.</param>
/// <param name="Hint">The entry's hint; empty when none.</param>
/// <param name="IssuedAt">The token's <c>iat</c>.</param>
/// <param name="ExpiresAt">The token's <c>exp</c>.</param>
internal sealed record IssuedJwtSvid(
    string EntryId,
    SpiffeId SpiffeId,
    string Token,
    string Hint,
    DateTimeOffset IssuedAt,
    DateTimeOffset ExpiresAt)
{
    /// <summary>Returns the SPIFFE ID and expiry only; the token is a secret.</summary>
    public override string ToString() => $"JWT-SVID {SpiffeId} (entry {EntryId}, expires {ExpiresAt:O})";
}
