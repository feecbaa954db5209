using Microsoft.Extensions.Logging;

namespace Spiffe.Agent.Tasks.Integration;

/// <summary>Log messages of the task integration (event IDs 7500–7599). Never logs tokens or keys.</summary>
internal static partial class TaskIntegrationLog
{
    [LoggerMessage(EventId = 7500, EventName = "TaskSyncAfterStartFailed", Level = LogLevel.Warning,
        Message = "Task {TaskId} started, but the sync that follows failed ({Error}); the next sync brings its entry")]
    public static partial void SyncAfterStartFailed(ILogger logger, string taskId, string error);

    [LoggerMessage(EventId = 7501, EventName = "TaskEntryDeleteFailed", Level = LogLevel.Warning,
        Message = "Could not delete entry {EntryId} of task {TaskId}: {Error}; retried at the next sync")]
    public static partial void EntryDeleteFailed(ILogger logger, string entryId, string taskId, string error);

    [LoggerMessage(EventId = 7502, EventName = "TaskIdentitiesWithdrawn", Level = LogLevel.Information,
        Message = "Task {TaskId} ended ({Reason}): ended {Streams} Workload API stream(s) and dropped its SVIDs")]
    public static partial void IdentitiesWithdrawn(ILogger logger, string taskId, string reason, int streams);

    [LoggerMessage(EventId = 7503, EventName = "RevocationRelayUnavailable", Level = LogLevel.Warning,
        Message = "The server's revocation relay is not available ({Error}); revocations stay local until it is")]
    public static partial void RelayUnavailable(ILogger logger, string error);

    [LoggerMessage(EventId = 7504, EventName = "RevocationsRelayed", Level = LogLevel.Information,
        Message = "Merged {Count} revocation(s) relayed by the server")]
    public static partial void RevocationsImported(ILogger logger, int count);

    [LoggerMessage(EventId = 7505, EventName = "RevocationsPublished", Level = LogLevel.Debug,
        Message = "Published {Count} revocation(s) to the server relay")]
    public static partial void RevocationsPublished(ILogger logger, int count);

    [LoggerMessage(EventId = 7506, EventName = "StaleTaskEntryRemoved", Level = LogLevel.Information,
        Message = "Deleted entry {EntryId} of task {TaskId}, which is not active")]
    public static partial void StaleEntryRemoved(ILogger logger, string entryId, string taskId);

    [LoggerMessage(EventId = 7507, EventName = "TaskCoordinatorFailed", Level = LogLevel.Error,
        Message = "Task identity upkeep failed; retrying at the next sync")]
    public static partial void CoordinatorFailed(ILogger logger, Exception exception);
}
