namespace Spiffe.Core;

/// <summary>The outcome of a successful <see cref="WorkloadProofVerifier.Verify"/>: who made the request, and which credentials proved it.</summary>
public sealed class WorkloadProofVerificationResult
{
    internal WorkloadProofVerificationResult(WitSvid wit, string proofJti, DateTimeOffset proofExpiry)
    {
        this.Wit = wit;
        this.ProofJti = proofJti;
        this.ProofExpiry = proofExpiry;
    }

    /// <summary>The caller's SPIFFE ID, the WIT's <c>sub</c>.</summary>
    public SpiffeId Id => this.Wit.Id;

    /// <summary>The WIT's <c>jti</c>, when it has one (for audit and revocation).</summary>
    public string? WitJti => this.Wit.Jti;

    /// <summary>The proof's <c>jti</c> (for audit).</summary>
    public string ProofJti { get; }

    /// <summary>The proof's <c>exp</c>.</summary>
    public DateTimeOffset ProofExpiry { get; }

    /// <summary>The verified WIT, with all its claims.</summary>
    public WitSvid Wit { get; }
}
