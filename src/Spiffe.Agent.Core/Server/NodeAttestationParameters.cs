namespace Spiffe.Agent.Core.Server;

/// <summary>How the agent proves its node identity in <c>AttestAgent</c>: one subtype per attestation method.</summary>
internal abstract record NodeAttestationParameters
{
    /// <summary>The attestation type on the wire (<c>join_token</c>, <c>x509pop</c>).</summary>
    public abstract string Type { get; }
}
