namespace Spiffe.Agent.Core.Tasks;

/// <summary>
/// The server's revocation relay (<c>spiffe.server.revocation.v1.RevocationRelay</c>, agent mTLS): agents publish what
/// their ended tasks revoke and fetch every other agent's revocations. Implemented by Spiffe.Agent.ServerApi.
/// </summary>
internal interface IRevocationRelay
{
    /// <summary>Publishes revocations (idempotent per credential).</summary>
    /// <exception cref="Server.SpireServerException">The call failed (<c>Unimplemented</c> on servers without a relay).</exception>
    Task PublishAsync(IReadOnlyList<RevocationNotice> revoked, CancellationToken cancellationToken);

    /// <summary>Fetches the unexpired revocations recorded after <paramref name="afterSequence"/> (0 for all).</summary>
    /// <exception cref="Server.SpireServerException">The call failed.</exception>
    Task<RelayPage> ListAsync(ulong afterSequence, CancellationToken cancellationToken);
}
