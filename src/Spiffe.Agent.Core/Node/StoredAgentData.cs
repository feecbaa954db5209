using System.Security.Cryptography.X509Certificates;

namespace Spiffe.Agent.Core.Node;

/// <summary>What <c>agent-data.json</c> holds.</summary>
/// <param name="SvidChain">The agent SVID chain, leaf first; empty when there is none (deleted or never attested).</param>
/// <param name="Bundle">The own trust domain's X.509 roots as last received from the server; empty when unknown.</param>
/// <param name="Reattestable">Whether the stored SVID came from a re-attestable method.</param>
internal sealed record StoredAgentData(
    IReadOnlyList<X509Certificate2> SvidChain,
    IReadOnlyList<X509Certificate2> Bundle,
    bool Reattestable)
{
    /// <summary>Nothing stored.</summary>
    public static StoredAgentData Empty { get; } = new([], [], false);
}
