namespace Spiffe.Agent.Tasks;

/// <summary>
/// What <see cref="TaskManager.StartTaskAsync"/> needs. Give a <see cref="Ttl"/> or a <see cref="Deadline"/>, or neither
/// for the configured default TTL (cut to the parent's deadline for a child task).
/// </summary>
internal sealed record StartTaskRequest
{
    /// <summary>The agent the task runs for.</summary>
    public required string Agent { get; init; }

    /// <summary>The task ID; <see langword="null"/> generates a random one.</summary>
    public string? TaskId { get; init; }

    /// <summary>The delegating task, which must be active; the new task may not outlive it.</summary>
    public string? ParentTaskId { get; init; }

    /// <summary>Lifetime from now.</summary>
    public TimeSpan? Ttl { get; init; }

    /// <summary>Absolute end.</summary>
    public DateTimeOffset? Deadline { get; init; }

    /// <summary>A running (typically SIGSTOPped) process to move into the task cgroup and watch through a pidfd.</summary>
    public int? MainPid { get; init; }

    /// <summary>Kill every process of the task when the deadline passes.</summary>
    public bool KillOnExpiry { get; init; }

    /// <summary>The SPIFFE ID assigned to the task (kept in the lease).</summary>
    public string? SpiffeId { get; init; }

    /// <summary>The ID of the task's registration entry (kept in the lease, so a restarted agent can delete it).</summary>
    public string? EntryId { get; init; }

    /// <summary>Keep the task's WIT-SVID private keys inside the agent.</summary>
    public bool KeysNotExportable { get; init; }
}
