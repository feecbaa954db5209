using Spiffe.Agent.Core.Tasks;
using Spiffe.Agent.Tasks.Policy;

namespace Spiffe.Agent.Tasks.Integration;

/// <summary><see cref="IRequestPolicy"/> over the CEL <see cref="PolicyEngine"/>.</summary>
internal sealed class RequestPolicyAdapter : IRequestPolicy
{
    private static readonly TaskFacts NoTask = new(string.Empty, string.Empty, string.Empty, 0);

    private readonly PolicyEngine engine;
    private readonly TimeProvider timeProvider;

    public RequestPolicyAdapter(PolicyEngine engine, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(timeProvider);
        this.engine = engine;
        this.timeProvider = timeProvider;
    }

    /// <inheritdoc />
    public RequestPolicyDecision Evaluate(WorkloadDescription workload, TaskIdentity? task, RequestDescription request)
    {
        ArgumentNullException.ThrowIfNull(workload);
        ArgumentNullException.ThrowIfNull(request);
        var taskFacts = task is null
            ? NoTask
            : new TaskFacts(
                task.TaskId,
                task.Agent,
                task.ParentTaskId ?? string.Empty,
                Math.Max(0, (long)Math.Floor((task.Deadline - timeProvider.GetUtcNow()).TotalSeconds)));
        var decision = engine.Evaluate(new PolicyInput(
            new WorkloadFacts(workload.Selectors, workload.Uid, workload.Path, workload.Sha256),
            taskFacts,
            new RequestFacts(request.Method, request.Audiences, request.SpiffeId, request.Intent, request.DataClass)));
        return new RequestPolicyDecision(
            decision.IsAllowed,
            decision.DenialMessage,
            decision.Policies.Select(p => new PolicyReference(p.Name, p.Sha256)).ToList(),
            decision.Obligations.MaxTtl);
    }
}
