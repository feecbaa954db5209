using Microsoft.Extensions.Logging;
using Spiffe.Core;
using Reason = Spiffe.Proto.Spire.Types.PermissionDeniedDetails.Types.Reason;

namespace Spiffe.Server.Api;

/// <summary>Agent-facing API log messages (event IDs 1300–1399). Never logs keys or join tokens.</summary>
internal static partial class ApiLog
{
    [LoggerMessage(EventId = 1300, EventName = "CallerDenied", Level = LogLevel.Warning,
        Message = "Denied {Method}: {Reason}")]
    public static partial void CallerDenied(ILogger logger, string method, string reason);

    [LoggerMessage(EventId = 1301, EventName = "AgentDenied", Level = LogLevel.Warning,
        Message = "Denied {Method} for agent {AgentId}: {Reason}")]
    public static partial void AgentDenied(ILogger logger, string method, SpiffeId agentId, Reason reason);

    [LoggerMessage(EventId = 1302, EventName = "AgentSerialPromoted", Level = LogLevel.Information,
        Message = "Agent {AgentId} is now using its new SVID")]
    public static partial void AgentSerialPromoted(ILogger logger, SpiffeId agentId);

    [LoggerMessage(EventId = 1303, EventName = "AgentAttested", Level = LogLevel.Information,
        Message = "Agent {AgentId} attested with {AttestationType}")]
    public static partial void AgentAttested(ILogger logger, SpiffeId agentId, string attestationType);

    [LoggerMessage(EventId = 1304, EventName = "AttestationFailed", Level = LogLevel.Warning,
        Message = "Node attestation ({AttestationType}) failed: {Reason}")]
    public static partial void AttestationFailed(ILogger logger, string attestationType, string reason);

    [LoggerMessage(EventId = 1305, EventName = "AgentRenewed", Level = LogLevel.Information,
        Message = "Agent {AgentId} renewed its SVID")]
    public static partial void AgentRenewed(ILogger logger, SpiffeId agentId);

    [LoggerMessage(EventId = 1306, EventName = "SvidSigningFailed", Level = LogLevel.Warning,
        Message = "X509-SVID for entry {EntryId} not signed: {Reason}")]
    public static partial void SvidSigningFailed(ILogger logger, string entryId, string reason);

    [LoggerMessage(EventId = 1307, EventName = "AliasEntryCreated", Level = LogLevel.Information,
        Message = "Created alias entry {EntryId} for join-token agent {AgentId}")]
    public static partial void AliasEntryCreated(ILogger logger, string entryId, SpiffeId agentId);

    [LoggerMessage(EventId = 1308, EventName = "UnexpectedError", Level = LogLevel.Error,
        Message = "{Method} failed unexpectedly")]
    public static partial void UnexpectedError(ILogger logger, string method, Exception exception);
}
