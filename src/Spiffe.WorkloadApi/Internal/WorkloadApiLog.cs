using Microsoft.Extensions.Logging;

namespace Spiffe.WorkloadApi.Internal;

/// <summary>Log events of the Workload API client, the sources and the TLS helpers. Never logs keys or tokens.</summary>
internal static partial class WorkloadApiLog
{
    [LoggerMessage(EventId = 1, EventName = "WatchFailed", Level = LogLevel.Warning,
        Message = "Workload API {Stream} watch failed; retrying in {Delay}")]
    public static partial void WatchFailed(this ILogger logger, string stream, TimeSpan delay, Exception exception);

    [LoggerMessage(EventId = 2, EventName = "WatchStopped", Level = LogLevel.Error,
        Message = "Workload API {Stream} watch stopped: the error is not retryable")]
    public static partial void WatchStopped(this ILogger logger, string stream, Exception exception);

    [LoggerMessage(EventId = 3, EventName = "InvalidResponse", Level = LogLevel.Error,
        Message = "Workload API {Stream} watch received a response that does not validate; keeping the previous state")]
    public static partial void InvalidResponse(this ILogger logger, string stream, Exception exception);

    [LoggerMessage(EventId = 20, EventName = "SourceUpdated", Level = LogLevel.Debug,
        Message = "{Source} updated")]
    public static partial void SourceUpdated(this ILogger logger, string source);

    [LoggerMessage(EventId = 21, EventName = "UpdatedHandlerFailed", Level = LogLevel.Error,
        Message = "An Updated event handler of {Source} threw")]
    public static partial void UpdatedHandlerFailed(this ILogger logger, string source, Exception exception);

    [LoggerMessage(EventId = 22, EventName = "SourceWatchEnded", Level = LogLevel.Error,
        Message = "{Source} stopped watching the Workload API and keeps serving its last state")]
    public static partial void SourceWatchEnded(this ILogger logger, string source, Exception exception);

    [LoggerMessage(EventId = 23, EventName = "SvidNotPicked", Level = LogLevel.Error,
        Message = "X509Source ignored an update: {Reason}")]
    public static partial void SvidNotPicked(this ILogger logger, string reason);

    [LoggerMessage(EventId = 40, EventName = "PeerRejected", Level = LogLevel.Warning,
        Message = "TLS peer rejected: {Reason}")]
    public static partial void PeerRejected(this ILogger logger, string reason);
}
