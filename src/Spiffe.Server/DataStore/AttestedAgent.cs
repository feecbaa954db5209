using Spiffe.Core;

namespace Spiffe.Server.DataStore;

/// <summary>
/// An attested node. The agent authenticates with an X509-SVID whose serial equals <see cref="SerialNumber"/>, or
/// <see cref="NewSerialNumber"/> (issued by renewal or re-attestation and promoted to current on first use). Serials
/// are the certificate serial as an unsigned decimal string, as SPIRE stores them. Times are Unix seconds.
/// </summary>
internal sealed record AttestedAgent
{
    /// <summary>The agent's SPIFFE ID, e.g. <c>spiffe://td/spire/agent/join_token/&lt;token&gt;</c>.</summary>
    public required SpiffeId Id { get; init; }

    /// <summary>The node attestor that attested it, e.g. <c>join_token</c> or <c>x509pop</c>.</summary>
    public required string AttestationType { get; init; }

    /// <summary>Serial of the agent's current X509-SVID; empty when none is valid.</summary>
    public string SerialNumber { get; init; } = string.Empty;

    /// <summary>Expiry of the current SVID, Unix seconds.</summary>
    public long ExpiresAt { get; init; }

    /// <summary>Serial of an SVID issued but not yet used; empty when none.</summary>
    public string NewSerialNumber { get; init; } = string.Empty;

    /// <summary>Expiry of the new SVID, Unix seconds; 0 when none.</summary>
    public long NewExpiresAt { get; init; }

    /// <summary>Node selectors from attestation (used for node-alias entries), sorted.</summary>
    public IReadOnlyList<Selector> Selectors { get; init; } = [];

    /// <summary>Banned agents are refused every call with <c>AGENT_BANNED</c> and cannot re-attest until deleted.</summary>
    public bool Banned { get; init; }

    /// <summary>Whether the agent rotates by re-attesting (x509pop) instead of <c>RenewAgent</c> (join_token).</summary>
    public bool CanReattest { get; init; }

    /// <summary>Version reported through <c>PostStatus</c>.</summary>
    public string AgentVersion { get; init; } = string.Empty;
}
