using Microsoft.Extensions.Logging;
using Spiffe.Core;

namespace Spiffe.Server.Api;

/// <summary>
/// Log messages of the task-bound identity features (event IDs 1400–1499): WIT-SVID signing, the revocation relay
/// and task grants. Never logs keys or tokens.
/// </summary>
internal static partial class TaskIdentityLog
{
    [LoggerMessage(EventId = 1400, EventName = "WitSvidSigningFailed", Level = LogLevel.Warning,
        Message = "WIT-SVID for entry {EntryId} not signed: {Reason}")]
    public static partial void WitSvidSigningFailed(ILogger logger, string entryId, string reason);

    [LoggerMessage(EventId = 1401, EventName = "RevocationsPublished", Level = LogLevel.Information,
        Message = "Agent {AgentId} published {Count} revocation(s); relay sequence {Sequence}")]
    public static partial void RevocationsPublished(ILogger logger, SpiffeId agentId, int count, ulong sequence);

    [LoggerMessage(EventId = 1402, EventName = "RevocationsPruned", Level = LogLevel.Debug,
        Message = "Pruned {Count} expired relayed revocation(s)")]
    public static partial void RevocationsPruned(ILogger logger, int count);

    [LoggerMessage(EventId = 1403, EventName = "TaskGrantDenied", Level = LogLevel.Warning,
        Message = "Denied {Method} for granted admin {AdminId}: {Reason}")]
    public static partial void TaskGrantDenied(ILogger logger, string method, SpiffeId adminId, string reason);
}
