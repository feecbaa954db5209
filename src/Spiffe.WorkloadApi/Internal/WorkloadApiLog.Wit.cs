using Microsoft.Extensions.Logging;

namespace Spiffe.WorkloadApi.Internal;

/// <summary>Log events of the WIT source and the oracle-backed proof provider. Never logs keys or tokens.</summary>
internal static partial class WorkloadApiLog
{
    [LoggerMessage(EventId = 24, EventName = "WitSvidNotPicked", Level = LogLevel.Error,
        Message = "WitSource ignored an update: {Reason}")]
    public static partial void WitSvidNotPicked(this ILogger logger, string reason);
}
