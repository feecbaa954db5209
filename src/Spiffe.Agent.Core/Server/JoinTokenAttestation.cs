namespace Spiffe.Agent.Core.Server;

/// <summary>Join-token attestation: the payload is the token; no challenge; not re-attestable.</summary>
/// <param name="Token">The one-time token (a secret; never logged).</param>
internal sealed record JoinTokenAttestation(string Token) : NodeAttestationParameters
{
    /// <inheritdoc/>
    public override string Type => "join_token";

    /// <summary>Hides the token.</summary>
    public override string ToString() => "join_token attestation";
}
