namespace Spiffe.Agent.Core.Server;

/// <summary>
/// Why the server refused the agent (<c>spire.api.types.PermissionDeniedDetails.Reason</c>, same numbers).
/// </summary>
internal enum PermissionDeniedReason
{
    /// <summary>No or an unknown reason.</summary>
    Unknown = 0,

    /// <summary>The agent SVID expired; re-attest.</summary>
    AgentExpired = 1,

    /// <summary>The server has no attested node for this SVID (e.g. evicted); re-attest.</summary>
    AgentNotAttested = 2,

    /// <summary>The SVID serial is not the node's current one; re-attest.</summary>
    AgentNotActive = 3,

    /// <summary>The agent is banned; delete the stored SVID and exit.</summary>
    AgentBanned = 4,

    /// <summary>The agent must re-attest rather than renew (e.g. <c>RenewAgent</c> for an x509pop agent).</summary>
    AgentMustReattest = 5,
}
