namespace Spiffe.Agent.Tasks.Audit;

/// <summary>Outcome of <see cref="AuditVerifier.Verify"/>.</summary>
/// <param name="RecordCount">Records checked before stopping (all of them when valid).</param>
/// <param name="FirstSeq">
/// Sequence number of the first record. Above 0 means older files are not part of the check, and the first record's
/// <c>prev</c> was taken on trust as the anchor.
/// </param>
/// <param name="FirstProblem">The first failure, or <see langword="null"/>.</param>
internal sealed record AuditVerification(long RecordCount, long? FirstSeq, AuditTamper? FirstProblem)
{
    /// <summary>Whether every record verified.</summary>
    public bool IsValid => FirstProblem is null;
}
