using Microsoft.Extensions.Logging;

namespace Spiffe.Agent.Tasks.Audit;

/// <summary>Log messages of the audit trail (event IDs 7400–7499).</summary>
internal static partial class AuditLogLog
{
    [LoggerMessage(EventId = 7400, EventName = "AuditRotated", Level = LogLevel.Information,
        Message = "Rotated audit file {Path} after record {Seq}")]
    public static partial void Rotated(ILogger logger, string path, long seq);

    [LoggerMessage(EventId = 7401, EventName = "AuditTornTailCut", Level = LogLevel.Warning,
        Message = "Cut {Bytes} bytes of an incomplete last record from {Path}")]
    public static partial void TornTailCut(ILogger logger, string path, int bytes);
}
