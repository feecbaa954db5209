using Microsoft.Extensions.Logging;

namespace Spiffe.Agent.Tasks;

/// <summary>Log messages of task supervision (event IDs 7000–7099).</summary>
internal static partial class TaskLog
{
    [LoggerMessage(EventId = 7000, EventName = "TaskStarted", Level = LogLevel.Information,
        Message = "Task {TaskId} started for agent {Agent} until {Deadline} in cgroup {Cgroup} (main pid {MainPid})")]
    public static partial void Started(ILogger logger, string taskId, string agent, DateTimeOffset deadline, string cgroup, int? mainPid);

    [LoggerMessage(EventId = 7001, EventName = "TaskEnded", Level = LogLevel.Information,
        Message = "Task {TaskId} ended: {Reason}; {Revoked} credential(s) revoked")]
    public static partial void Ended(ILogger logger, string taskId, TaskEndReason reason, int revoked);

    [LoggerMessage(EventId = 7002, EventName = "TaskLostOnRestart", Level = LogLevel.Warning,
        Message = "Task {TaskId} cannot be resumed after restart: {Detail}")]
    public static partial void LostOnRestart(ILogger logger, string taskId, string detail);

    [LoggerMessage(EventId = 7003, EventName = "TaskResumed", Level = LogLevel.Information,
        Message = "Task {TaskId} resumed after restart")]
    public static partial void Resumed(ILogger logger, string taskId);

    [LoggerMessage(EventId = 7004, EventName = "TaskCleanupFailed", Level = LogLevel.Error,
        Message = "Cleanup step {Step} failed for task {TaskId}")]
    public static partial void CleanupFailed(ILogger logger, Exception exception, string step, string taskId);

    [LoggerMessage(EventId = 7005, EventName = "TaskProcessAdopted", Level = LogLevel.Information,
        Message = "Process {Pid} joined task {TaskId}")]
    public static partial void Adopted(ILogger logger, int pid, string taskId);

    [LoggerMessage(EventId = 7006, EventName = "TaskCgroupRemoved", Level = LogLevel.Debug,
        Message = "Removed the emptied cgroup of ended task {TaskId}")]
    public static partial void CgroupRemoved(ILogger logger, string taskId);

    [LoggerMessage(EventId = 7007, EventName = "TaskMonitorFailed", Level = LogLevel.Error,
        Message = "Task check failed; retrying in {Delay}")]
    public static partial void MonitorFailed(ILogger logger, Exception exception, TimeSpan delay);
}
