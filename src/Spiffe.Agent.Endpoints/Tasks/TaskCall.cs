using Spiffe.Agent.Core.Tasks;

namespace Spiffe.Agent.Endpoints.Tasks;

/// <summary>
/// The policy view of one Workload API call, set by <see cref="TaskPolicyInterceptor"/> for task processes (and every
/// caller with <c>policy_for_all_callers</c>) and used by the handlers to record and audit what they issue.
/// </summary>
/// <param name="Workload">The caller.</param>
/// <param name="Task">The caller's task, or null.</param>
/// <param name="Request">The request.</param>
/// <param name="Decision">The policy decision (allowed, since a denial ends the call).</param>
internal sealed record TaskCall(WorkloadDescription Workload, TaskIdentity? Task, RequestDescription Request, RequestPolicyDecision Decision)
{
    /// <summary>Serial numbers already recorded and audited on this call (a stream sends the same SVID many times).</summary>
    public HashSet<string> RecordedSerials { get; } = new(StringComparer.Ordinal);
}
