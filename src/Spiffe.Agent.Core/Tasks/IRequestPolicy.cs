namespace Spiffe.Agent.Core.Tasks;

/// <summary>Per-request policy as code: decides a Workload API request from the workload, its task and the request.</summary>
internal interface IRequestPolicy
{
    /// <summary>Decides; never throws for a bad rule (a rule that fails denies).</summary>
    /// <param name="workload">The attested caller.</param>
    /// <param name="task">The caller's task, or null for a caller outside every task.</param>
    /// <param name="request">The request.</param>
    RequestPolicyDecision Evaluate(WorkloadDescription workload, TaskIdentity? task, RequestDescription request);
}
