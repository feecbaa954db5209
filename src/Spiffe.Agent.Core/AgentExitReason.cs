namespace Spiffe.Agent.Core;

/// <summary>Why the agent must stop.</summary>
internal enum AgentExitReason
{
    /// <summary>Node attestation failed for good (no usable stored SVID and the server refused or never answered).</summary>
    AttestationFailed,

    /// <summary>The server banned this agent; the stored SVID was deleted.</summary>
    Banned,

    /// <summary>
    /// The server requires re-attestation but this agent's attestation method cannot re-attest (join token); the stored
    /// SVID was deleted and a new join token is needed.
    /// </summary>
    ReattestationImpossible,

    /// <summary>The first sync with the server after attestation kept failing (about a minute).</summary>
    InitialSyncFailed,

    /// <summary>The agent SVID expired without a successful rotation.</summary>
    AgentSvidExpired,

    /// <summary>The local configuration or state is unusable (for example an unreadable trust bundle file).</summary>
    Configuration,
}
