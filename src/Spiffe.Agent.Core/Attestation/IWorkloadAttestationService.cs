namespace Spiffe.Agent.Core.Attestation;

/// <summary>
/// Attests the caller of a connection: runs every configured workload attestor for the caller's PID, merges their
/// selectors, and then re-checks that the caller is still the same live process.
/// </summary>
/// <remarks>
/// The Workload API maps the outcome as SPIRE does: <see cref="WorkloadAttestationStatus.Succeeded"/> → use
/// <see cref="WorkloadAttestationResult.Selectors"/>; <see cref="WorkloadAttestationStatus.AttestationFailed"/> →
/// <c>Unavailable</c> "workload attestation failed"; <see cref="WorkloadAttestationStatus.CallerGone"/> →
/// <c>Unauthenticated</c> "could not verify existence of the original caller" (and close the connection).
/// </remarks>
internal interface IWorkloadAttestationService
{
    /// <summary>Attests the tracked caller.</summary>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    ValueTask<WorkloadAttestationResult> AttestAsync(ICallerWatcher caller, CancellationToken cancellationToken);
}
