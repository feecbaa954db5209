namespace Spiffe.Agent.Core.Tasks;

/// <summary>A request to start a task (the admin <c>StartTask</c> / <c>AdoptTask</c> RPCs).</summary>
/// <param name="TaskId">The task ID; null or empty generates one.</param>
/// <param name="Agent">The agent name.</param>
/// <param name="ParentTaskId">The parent task, or null.</param>
/// <param name="Ttl">Lifetime from now; null for the default (cut to the parent's deadline).</param>
/// <param name="MainPid">A running process that becomes the task's main process, or null.</param>
/// <param name="KillOnExpiry">Kill every process of the task at the deadline.</param>
/// <param name="KeysNotExportable">Keep the task's WIT-SVID keys inside the agent.</param>
internal sealed record TaskStartSpec(
    string? TaskId,
    string Agent,
    string? ParentTaskId,
    TimeSpan? Ttl,
    int? MainPid,
    bool KillOnExpiry,
    bool KeysNotExportable);
