namespace Spiffe.Agent.Tasks;

/// <summary>An active task: a lease on an identity that ends with the task.</summary>
/// <param name="TaskId">The task ID, <c>[A-Za-z0-9._-]{1,128}</c>.</param>
/// <param name="Agent">The agent (policy subject) the task runs for.</param>
/// <param name="ParentTaskId">The delegating task, if any; a task never outlives its parent.</param>
/// <param name="StartedAt">When the task started.</param>
/// <param name="Deadline">When the task ends at the latest.</param>
/// <param name="Cgroup">The task cgroup as <c>/proc/&lt;pid&gt;/cgroup</c> shows it (e.g. <c>/spiffe-agent.tasks/task-42</c>).</param>
/// <param name="MainPid">The main process, watched through a pidfd; <see langword="null"/> for a task without one.</param>
/// <param name="KillOnExpiry">Whether the whole cgroup is killed when the deadline passes (or the parent ends).</param>
internal sealed record TaskLease(
    string TaskId,
    string Agent,
    string? ParentTaskId,
    DateTimeOffset StartedAt,
    DateTimeOffset Deadline,
    string Cgroup,
    int? MainPid,
    bool KillOnExpiry)
{
    /// <summary>The SPIFFE ID the task's processes receive, or <see langword="null"/> when none was assigned.</summary>
    public string? SpiffeId { get; init; }

    /// <summary>The ID of the task's registration entry on the server, or <see langword="null"/>.</summary>
    public string? EntryId { get; init; }

    /// <summary>Whether the task's WIT-SVID private keys stay inside the agent.</summary>
    public bool KeysNotExportable { get; init; }
}
