namespace Spiffe.Agent.Core.Tasks;

/// <summary>One revoked credential, as verifiers and the server relay see it. Never the credential itself.</summary>
/// <param name="Kind">JWT or X.509.</param>
/// <param name="Id">The <c>jti</c> or the normalized serial number.</param>
/// <param name="TaskId">The task whose end revoked it.</param>
/// <param name="SpiffeId">The SPIFFE ID the credential names, or null when unknown.</param>
/// <param name="ExpiresAt">The credential's own expiry.</param>
/// <param name="RevokedAt">When it was revoked.</param>
/// <param name="Reason">Why the task ended, or null.</param>
internal sealed record RevocationNotice(
    RevokedCredentialKind Kind,
    string Id,
    string TaskId,
    string? SpiffeId,
    DateTimeOffset ExpiresAt,
    DateTimeOffset RevokedAt,
    string? Reason);
