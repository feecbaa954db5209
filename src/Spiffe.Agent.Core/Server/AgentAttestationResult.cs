using System.Security.Cryptography.X509Certificates;

namespace Spiffe.Agent.Core.Server;

/// <summary>The outcome of node attestation.</summary>
/// <param name="SvidChain">The agent SVID chain, leaf first.</param>
/// <param name="Reattestable">
/// True when the method can attest again (x509pop): the agent rotates by re-attesting; false (join token): by
/// <c>RenewAgent</c>.
/// </param>
/// <param name="Bundle">The own trust domain's bundle, fetched right after attestation.</param>
internal sealed record AgentAttestationResult(
    IReadOnlyList<X509Certificate2> SvidChain,
    bool Reattestable,
    ServerBundle Bundle);
