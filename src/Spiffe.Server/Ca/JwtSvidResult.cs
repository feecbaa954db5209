namespace Spiffe.Server.Ca;

/// <summary>A signed JWT-SVID (or WIT-SVID).</summary>
/// <param name="Token">The compact JWS.</param>
/// <param name="IssuedAt">The <c>iat</c> claim.</param>
/// <param name="ExpiresAt">The <c>exp</c> claim.</param>
internal sealed record JwtSvidResult(string Token, DateTimeOffset IssuedAt, DateTimeOffset ExpiresAt);
