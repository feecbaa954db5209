using Spiffe.Agent.Core.Attestation;

namespace Spiffe.Agent.Endpoints.Interceptors;

/// <summary>An attested caller of a Workload API call: its PID and the selectors attestation found.</summary>
/// <param name="Pid">The caller's process ID.</param>
/// <param name="Selectors">The caller's selectors (possibly empty).</param>
internal sealed record WorkloadCaller(int Pid, SelectorSet Selectors);
