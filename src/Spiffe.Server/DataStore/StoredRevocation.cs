using Spiffe.Core;

namespace Spiffe.Server.DataStore;

/// <summary>
/// A revocation an agent published to the relay. Times are Unix seconds. The store assigns <see cref="Sequence"/>;
/// the pair (<see cref="Kind"/>, <see cref="CredentialId"/>) is unique.
/// </summary>
/// <param name="Sequence">The relay sequence number (0 before it is recorded).</param>
/// <param name="Kind">Whether <see cref="CredentialId"/> is a <c>jti</c> or a serial number.</param>
/// <param name="CredentialId">The <c>jti</c>, or the normalized serial number.</param>
/// <param name="TaskId">The task whose end revoked the credential.</param>
/// <param name="SpiffeId">The credential's SPIFFE ID as published (may be empty).</param>
/// <param name="ExpiresAt">When the credential expires; the revocation is dropped after that.</param>
/// <param name="RevokedAt">When the agent revoked it.</param>
/// <param name="Reason">Why (may be empty).</param>
/// <param name="AgentId">The agent that published it (from its mTLS identity).</param>
internal sealed record StoredRevocation(
    ulong Sequence,
    RelayedCredentialKind Kind,
    string CredentialId,
    string TaskId,
    string SpiffeId,
    long ExpiresAt,
    long RevokedAt,
    string Reason,
    SpiffeId AgentId);
