namespace Spiffe.Agent.Core.Tasks;

/// <summary>A process as the task subsystem sees it: its cgroup and the active task it belongs to, if any.</summary>
/// <param name="Cgroup">The cgroup v2 path from <c>/proc/&lt;pid&gt;/cgroup</c>.</param>
/// <param name="Task">The active task whose cgroup holds the process, or null.</param>
internal sealed record TaskProcess(string Cgroup, TaskIdentity? Task);
