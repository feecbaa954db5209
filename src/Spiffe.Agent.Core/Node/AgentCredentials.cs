using Spiffe.Agent.Core.Server;
using Spiffe.Core;

namespace Spiffe.Agent.Core.Node;

/// <summary>
/// The current agent SVID and server trust roots, published by <see cref="NodeSvidManager"/> and read by the server
/// client on every call. Reads and writes are atomic reference swaps.
/// </summary>
internal sealed class AgentCredentials : IAgentCredentialSource
{
    private volatile X509Bundle? _serverTrustBundle;
    private volatile X509Svid? _agentSvid;

    /// <inheritdoc/>
    public X509Bundle? ServerTrustBundle
    {
        get => _serverTrustBundle;
        set => _serverTrustBundle = value;
    }

    /// <inheritdoc/>
    public X509Svid? AgentSvid
    {
        get => _agentSvid;
        set => _agentSvid = value;
    }
}
