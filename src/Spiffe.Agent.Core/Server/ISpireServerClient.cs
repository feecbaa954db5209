using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Spiffe.Agent.Core.Workload;
using Spiffe.Core;

namespace Spiffe.Agent.Core.Server;

/// <summary>
/// The agent's client of the SPIRE server API (implemented by Spiffe.Agent.ServerApi). Every call has a 30 s deadline.
/// Server authentication and client credentials come from <see cref="IAgentCredentialSource"/>, read on every call:
/// attestation calls use TLS without a client certificate; all others use mTLS with the current agent SVID (a new
/// SVID means a new connection).
/// </summary>
/// <remarks>
/// Failures throw <see cref="SpireServerException"/> (status code, message and any
/// <see cref="PermissionDeniedReason"/>); cancellation throws <see cref="OperationCanceledException"/>. Thread-safe.
/// </remarks>
internal interface ISpireServerClient
{
    /// <summary>
    /// Runs node attestation (<c>AttestAgent</c>, answering challenges) for a new agent key, then fetches the own
    /// bundle (<c>GetBundle</c>) on the same unauthenticated-client connection.
    /// </summary>
    /// <param name="attestation">The attestation method and its material.</param>
    /// <param name="agentKey">The fresh agent key; the CSR carries its public key.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<AgentAttestationResult> AttestAgentAsync(
        NodeAttestationParameters attestation,
        ECDsa agentKey,
        CancellationToken cancellationToken);

    /// <summary>Renews the agent SVID for a new key (<c>RenewAgent</c>, mTLS with the current SVID).</summary>
    /// <returns>The new chain, leaf first.</returns>
    Task<IReadOnlyList<X509Certificate2>> RenewAgentAsync(
        ECDsa newAgentKey,
        CancellationToken cancellationToken);

    /// <summary>Reports the agent version (<c>PostStatus</c>).</summary>
    Task PostStatusAsync(string agentVersion, CancellationToken cancellationToken);

    /// <summary>
    /// Returns the complete list of entries authorised for this agent, using the revision-diffing
    /// <c>SyncAuthorizedEntries</c> stream (falling back to <c>GetAuthorizedEntries</c> when disabled or unimplemented).
    /// Entries whose revision number and creation time are unchanged are returned as the instances from
    /// <paramref name="cachedEntries"/>. Malformed entries (no ID, no selectors, bad selector) are dropped and logged.
    /// </summary>
    /// <param name="cachedEntries">The entries the agent holds, by ID.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<IReadOnlyList<RegistrationEntry>> GetAuthorizedEntriesAsync(
        IReadOnlyDictionary<string, RegistrationEntry> cachedEntries,
        CancellationToken cancellationToken);

    /// <summary>Returns the own trust domain's bundle (<c>GetBundle</c>).</summary>
    Task<ServerBundle> GetBundleAsync(CancellationToken cancellationToken);

    /// <summary>Returns a federated trust domain's bundle, or null when the server has none (<c>NotFound</c>).</summary>
    Task<ServerBundle?> GetFederatedBundleAsync(TrustDomain trustDomain, CancellationToken cancellationToken);

    /// <summary>
    /// Signs one X509-SVID per request (<c>BatchNewX509SVID</c>, at most 500 per call; more are split). Per-entry
    /// failures are results, not exceptions; results are in request order.
    /// </summary>
    Task<IReadOnlyList<X509SvidMintResult>> BatchNewX509SvidAsync(
        IReadOnlyList<X509SvidMintRequest> requests,
        CancellationToken cancellationToken);

    /// <summary>Signs a JWT-SVID for an entry with all the audiences (<c>NewJWTSVID</c>).</summary>
    Task<IssuedJwtSvid> NewJwtSvidAsync(
        RegistrationEntry entry,
        IReadOnlyList<string> audiences,
        CancellationToken cancellationToken);
}
