using Spiffe.Core;

namespace Spiffe.WorkloadApi;

/// <summary>The credentials for one request: a WIT and the Workload Proof Token made for that request.</summary>
public sealed class WorkloadProof
{
    /// <summary>Creates the credentials.</summary>
    /// <param name="wit">The WIT in compact serialization.</param>
    /// <param name="proof">The Workload Proof Token in compact serialization.</param>
    /// <param name="spiffeId">The SPIFFE ID the WIT names.</param>
    /// <param name="expiresAt">When the proof expires.</param>
    public WorkloadProof(string wit, string proof, SpiffeId spiffeId, DateTimeOffset expiresAt)
    {
        ArgumentException.ThrowIfNullOrEmpty(wit);
        ArgumentException.ThrowIfNullOrEmpty(proof);
        this.Wit = wit;
        this.Proof = proof;
        this.SpiffeId = spiffeId;
        this.ExpiresAt = expiresAt;
    }

    /// <summary>The WIT, the value of the <c>Workload-Identity-Token</c> header.</summary>
    public string Wit { get; }

    /// <summary>The proof, the value of the <c>Workload-Proof-Token</c> header.</summary>
    public string Proof { get; }

    /// <summary>The SPIFFE ID the WIT names.</summary>
    public SpiffeId SpiffeId { get; }

    /// <summary>When the proof expires.</summary>
    public DateTimeOffset ExpiresAt { get; }
}
