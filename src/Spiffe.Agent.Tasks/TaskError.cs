namespace Spiffe.Agent.Tasks;

/// <summary>Why a task operation was refused; stable, so the gRPC layer can map each to a status code.</summary>
internal enum TaskError
{
    /// <summary>The task ID does not match <c>[A-Za-z0-9._-]{1,128}</c>.</summary>
    InvalidTaskId,

    /// <summary>The agent name does not match <c>[A-Za-z0-9._-]{1,128}</c>.</summary>
    InvalidAgentName,

    /// <summary>The TTL is zero or negative, or both a TTL and a deadline were given.</summary>
    InvalidTtl,

    /// <summary>The TTL (or the deadline's distance from now) exceeds the configured maximum.</summary>
    TtlExceedsMaximum,

    /// <summary>The requested deadline is not in the future.</summary>
    DeadlineInPast,

    /// <summary>The task would outlive its parent task.</summary>
    DeadlineExceedsParent,

    /// <summary>A task with this ID is active, or its cgroup still exists.</summary>
    DuplicateTask,

    /// <summary>No active task has this ID.</summary>
    UnknownTask,

    /// <summary>The parent task is not active.</summary>
    UnknownParentTask,

    /// <summary>The process does not exist.</summary>
    ProcessNotFound,

    /// <summary>The process belongs to another active task that is not the new task's parent.</summary>
    ProcessInOtherTask,

    /// <summary>The cgroup could not be created or written.</summary>
    CgroupFailure,

    /// <summary>The persisted task state cannot be read.</summary>
    StateCorrupt,
}
