using System.Runtime.Versioning;
using Spiffe.Agent.Core.Attestation;
using Spiffe.Agent.Core.Tasks;

namespace Spiffe.Agent.Tasks.Integration;

/// <summary>
/// The <c>task</c> workload attestor: <c>task:id:&lt;id&gt;</c> and <c>task:agent:&lt;name&gt;</c> for a process whose
/// cgroup v2 path (<c>/proc/&lt;pid&gt;/cgroup</c>, kernel truth) is inside an active task's cgroup. A process outside
/// every task, or left in the cgroup of an ended task, gets nothing.
/// </summary>
[SupportedOSPlatform("linux")]
internal sealed class TaskWorkloadAttestor : IWorkloadAttestor
{
    private readonly TaskManager manager;

    public TaskWorkloadAttestor(TaskManager manager)
    {
        ArgumentNullException.ThrowIfNull(manager);
        this.manager = manager;
    }

    /// <inheritdoc />
    public string Name => TaskSelectors.Type;

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<Selector>> AttestAsync(int pid, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        IReadOnlyList<Selector> selectors = manager.FindByProcess(pid) is { } lease
            ? [TaskSelectors.Id(lease.TaskId), TaskSelectors.Agent(lease.Agent)]
            : [];
        return ValueTask.FromResult(selectors);
    }
}
