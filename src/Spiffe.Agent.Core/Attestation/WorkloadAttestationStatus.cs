namespace Spiffe.Agent.Core.Attestation;

/// <summary>The outcome of attesting a caller.</summary>
internal enum WorkloadAttestationStatus
{
    /// <summary>At least one attestor succeeded and the caller is still the same live process.</summary>
    Succeeded,

    /// <summary>Every attestor failed; no selectors are known.</summary>
    AttestationFailed,

    /// <summary>
    /// The attestors ran, but afterwards the caller was no longer the process that connected (it exited, its PID was
    /// reused, or its user or group changed), so the selectors cannot be trusted.
    /// </summary>
    CallerGone,
}
