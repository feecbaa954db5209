namespace Spiffe.Agent.Core.Attestation;

/// <summary>The result of <see cref="IWorkloadAttestationService.AttestAsync"/>: a status and, on success, selectors.</summary>
internal sealed class WorkloadAttestationResult
{
    private static readonly WorkloadAttestationResult s_attestationFailed =
        new(WorkloadAttestationStatus.AttestationFailed, SelectorSet.Empty);

    private static readonly WorkloadAttestationResult s_callerGone =
        new(WorkloadAttestationStatus.CallerGone, SelectorSet.Empty);

    private WorkloadAttestationResult(WorkloadAttestationStatus status, SelectorSet selectors)
    {
        Status = status;
        Selectors = selectors;
    }

    /// <summary>What happened.</summary>
    public WorkloadAttestationStatus Status { get; }

    /// <summary>The caller's selectors when <see cref="Status"/> is Succeeded (possibly empty); otherwise empty.</summary>
    public SelectorSet Selectors { get; }

    /// <summary>A successful attestation with these selectors.</summary>
    public static WorkloadAttestationResult Succeeded(SelectorSet selectors)
    {
        ArgumentNullException.ThrowIfNull(selectors);
        return new WorkloadAttestationResult(WorkloadAttestationStatus.Succeeded, selectors);
    }

    /// <summary>Every attestor failed.</summary>
    public static WorkloadAttestationResult AttestationFailed() => s_attestationFailed;

    /// <summary>The caller is no longer the process that connected.</summary>
    public static WorkloadAttestationResult CallerGone() => s_callerGone;
}
