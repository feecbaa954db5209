using Spiffe.Core;

namespace Spiffe.Agent.Core.Tasks;

/// <summary>
/// What the rest of the agent knows about an active task: the lease facts the Workload API, the attestor, policy and
/// audit need. Immutable; produced by the task subsystem (<c>Spiffe.Agent.Tasks</c>).
/// </summary>
/// <param name="TaskId">The task ID, <c>[A-Za-z0-9._-]{1,128}</c>.</param>
/// <param name="Agent">The agent (policy subject) the task runs for.</param>
/// <param name="ParentTaskId">The delegating task, or null.</param>
/// <param name="StartedAt">When the task started.</param>
/// <param name="Deadline">When the task ends at the latest; no credential of the task outlives it.</param>
/// <param name="Cgroup">The task cgroup as <c>/proc/&lt;pid&gt;/cgroup</c> shows it.</param>
/// <param name="SpiffeId">The SPIFFE ID the task's processes receive.</param>
/// <param name="EntryId">The ID of the task's registration entry on the server.</param>
/// <param name="MainPid">The main process, or null.</param>
/// <param name="KillOnExpiry">Whether the task's processes are killed at the deadline.</param>
/// <param name="KeysNotExportable">Whether the task's WIT-SVID keys stay inside the agent.</param>
internal sealed record TaskIdentity(
    string TaskId,
    string Agent,
    string? ParentTaskId,
    DateTimeOffset StartedAt,
    DateTimeOffset Deadline,
    string Cgroup,
    SpiffeId SpiffeId,
    string EntryId,
    int? MainPid,
    bool KillOnExpiry,
    bool KeysNotExportable);
