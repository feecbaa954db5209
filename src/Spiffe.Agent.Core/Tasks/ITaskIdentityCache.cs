namespace Spiffe.Agent.Core.Tasks;

/// <summary>What the task subsystem needs from the agent's identity cache.</summary>
internal interface ITaskIdentityCache
{
    /// <summary>Runs a sync round now (entries, bundles, mints), so a new task entry is known at once.</summary>
    /// <exception cref="Server.SpireServerException">The server call failed.</exception>
    Task SyncNowAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Withdraws a task's identities at once: open Workload API streams of its processes end with
    /// <c>PermissionDenied</c> and <paramref name="reason"/>, and its entries and their SVIDs leave the cache.
    /// Returns how many streams ended.
    /// </summary>
    int RevokeTask(string taskId, string reason);

    /// <summary>The task IDs that have an entry in the cache (for clean-up of entries whose task is gone).</summary>
    IReadOnlyList<(string TaskId, string EntryId)> TaskEntries();
}
