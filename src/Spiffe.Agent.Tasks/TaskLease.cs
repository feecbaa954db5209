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
    bool KillOnExpiry);
