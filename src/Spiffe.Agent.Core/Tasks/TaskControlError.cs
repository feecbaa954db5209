namespace Spiffe.Agent.Core.Tasks;

/// <summary>Why a task operation failed, in gRPC status terms.</summary>
internal enum TaskControlError
{
    /// <summary>Bad task ID, agent name, TTL, deadline or parent.</summary>
    InvalidArgument,

    /// <summary>A task with this ID exists (or is still draining).</summary>
    AlreadyExists,

    /// <summary>Unknown task, parent task or process.</summary>
    NotFound,

    /// <summary>The process belongs to another task.</summary>
    PermissionDenied,

    /// <summary>The agent cannot do it now (no admin identity registered on the server).</summary>
    FailedPrecondition,

    /// <summary>The server could not be reached or refused the entry.</summary>
    Unavailable,

    /// <summary>A local failure (cgroups, state file).</summary>
    Internal,
}
