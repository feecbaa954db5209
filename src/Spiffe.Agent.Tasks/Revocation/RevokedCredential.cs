namespace Spiffe.Agent.Tasks.Revocation;

/// <summary>An entry of the revocation list.</summary>
/// <param name="Kind">JWT or X.509.</param>
/// <param name="Id">The <c>jti</c> or the normalized serial number.</param>
/// <param name="TaskId">The task whose end revoked it.</param>
/// <param name="RevokedAt">When it was revoked.</param>
/// <param name="ExpiresAt">The credential's own expiry; the entry is kept until then plus the retention margin.</param>
internal sealed record RevokedCredential(
    CredentialKind Kind,
    string Id,
    string TaskId,
    DateTimeOffset RevokedAt,
    DateTimeOffset ExpiresAt)
{
    /// <summary>The SPIFFE ID the credential names, when known.</summary>
    public string? SpiffeId { get; init; }

    /// <summary>Why its task ended (<c>explicit</c>, <c>deadline_reached</c>…), when known.</summary>
    public string? Reason { get; init; }
}
