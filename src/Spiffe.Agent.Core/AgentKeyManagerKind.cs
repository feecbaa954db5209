namespace Spiffe.Agent.Core;

/// <summary>Where the agent keeps the private key of its own (node) SVID.</summary>
internal enum AgentKeyManagerKind
{
    /// <summary>
    /// Keys are persisted to <c>keys.json</c> in <see cref="AgentOptions.DataDirectory"/> (mode 0600), so a restarted
    /// agent can keep using its stored SVID without attesting again (SPIRE's <c>KeyManager "disk"</c>).
    /// </summary>
    Disk,

    /// <summary>
    /// Keys live only in memory; every restart attests again (a join-token agent then needs a new token).
    /// </summary>
    Memory,
}
