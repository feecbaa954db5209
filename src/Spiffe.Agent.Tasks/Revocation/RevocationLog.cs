using Microsoft.Extensions.Logging;

namespace Spiffe.Agent.Tasks.Revocation;

/// <summary>Log messages of the revocation list (event IDs 7300–7399).</summary>
internal static partial class RevocationLog
{
    [LoggerMessage(EventId = 7300, EventName = "CredentialsRevoked", Level = LogLevel.Information,
        Message = "Revoked {Count} credential(s) of task {TaskId}")]
    public static partial void Revoked(ILogger logger, string taskId, int count);

    [LoggerMessage(EventId = 7301, EventName = "RevocationsPruned", Level = LogLevel.Debug,
        Message = "Dropped {Count} expired revocation entries")]
    public static partial void Pruned(ILogger logger, int count);

    [LoggerMessage(EventId = 7302, EventName = "RevocationPersistFailed", Level = LogLevel.Error,
        Message = "Could not write the revocation list to {Path}; it is enforced from memory until the next write")]
    public static partial void PersistFailed(ILogger logger, Exception exception, string path);
}
