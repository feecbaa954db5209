using Microsoft.Extensions.Logging;

namespace Spiffe.Sidecar;

/// <summary>Log events of the sidecar. Keys and tokens are never logged.</summary>
internal static partial class SidecarLog
{
    [LoggerMessage(EventId = 1, EventName = "SidecarStarted", Level = LogLevel.Information,
        Message = "Sidecar writing to {Directory} from the Workload API at {Address} (daemon mode {DaemonMode})")]
    public static partial void Started(this ILogger logger, string directory, string address, bool daemonMode);

    [LoggerMessage(EventId = 2, EventName = "FilesWritten", Level = LogLevel.Information,
        Message = "{What} written for {SpiffeId}")]
    public static partial void FilesWritten(this ILogger logger, string what, string spiffeId);

    [LoggerMessage(EventId = 3, EventName = "WriteFailed", Level = LogLevel.Error,
        Message = "Cannot write {What}")]
    public static partial void WriteFailed(this ILogger logger, string what, Exception exception);

    [LoggerMessage(EventId = 4, EventName = "FetchFailed", Level = LogLevel.Warning,
        Message = "Cannot fetch {What}; retrying in {Delay}")]
    public static partial void FetchFailed(this ILogger logger, string what, TimeSpan delay, Exception exception);

    [LoggerMessage(EventId = 5, EventName = "SidecarFailed", Level = LogLevel.Critical,
        Message = "Sidecar failed: {Reason}")]
    public static partial void Failed(this ILogger logger, string reason);

    [LoggerMessage(EventId = 6, EventName = "ChildStarted", Level = LogLevel.Information,
        Message = "Started {Command} as process {Pid}")]
    public static partial void ChildStarted(this ILogger logger, string command, int pid);

    [LoggerMessage(EventId = 7, EventName = "ProcessSignalled", Level = LogLevel.Information,
        Message = "Sent {Signal} to process {Pid}")]
    public static partial void Signalled(this ILogger logger, SidecarSignal signal, int pid);

    [LoggerMessage(EventId = 8, EventName = "NotifyFailed", Level = LogLevel.Error,
        Message = "Cannot notify after renewal: {Reason}")]
    public static partial void NotifyFailed(this ILogger logger, string reason, Exception? exception);

    [LoggerMessage(EventId = 9, EventName = "CommandExited", Level = LogLevel.Information,
        Message = "{Command} exited with code {ExitCode}")]
    public static partial void CommandExited(this ILogger logger, string command, int exitCode);
}
