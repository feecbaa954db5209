namespace Spiffe.Agent.Core.Tasks;

/// <summary>
/// The task lifecycle as the admin socket offers it. Starting creates the lease, the cgroup and the registration entry
/// on the server, all or nothing; ending revokes everything issued to the task and deletes its entry.
/// </summary>
internal interface ITaskControl
{
    /// <summary>Starts a task.</summary>
    /// <exception cref="TaskControlException">The request was refused or the entry could not be created.</exception>
    Task<TaskIdentity> StartAsync(TaskStartSpec spec, CancellationToken cancellationToken);

    /// <summary>Ends a task now (optionally killing its processes).</summary>
    /// <exception cref="TaskControlException"><see cref="TaskControlError.NotFound"/> for an unknown task.</exception>
    Task<TaskChange> EndAsync(string taskId, bool kill, CancellationToken cancellationToken);

    /// <summary>The active tasks, oldest first.</summary>
    IReadOnlyList<TaskIdentity> List();

    /// <summary>Every active task first, then each start and end.</summary>
    IAsyncEnumerable<TaskChange> WatchAsync(CancellationToken cancellationToken);
}
