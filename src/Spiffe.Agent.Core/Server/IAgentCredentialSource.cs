using Spiffe.Core;

namespace Spiffe.Agent.Core.Server;

/// <summary>
/// The agent's current trust material for talking to the server, owned by the node SVID lifecycle and read by the
/// server client on every call (so rotation and bundle updates take effect without telling the client).
/// </summary>
internal interface IAgentCredentialSource
{
    /// <summary>
    /// The own trust domain's X.509 roots the server's certificate must chain to; null only during insecure bootstrap
    /// (then the chain is not verified, but the server's SPIFFE ID still is).
    /// </summary>
    X509Bundle? ServerTrustBundle { get; }

    /// <summary>The current agent SVID presented for mTLS; null before attestation.</summary>
    X509Svid? AgentSvid { get; }
}
