using Microsoft.Extensions.Logging;

namespace Spiffe.Agent.Endpoints.Tasks;

/// <summary>Log events of the endpoint's task features (event IDs 4100–4199). Tokens and keys are never logged.</summary>
internal static partial class TaskEndpointsLog
{
    [LoggerMessage(EventId = 4100, EventName = "DeniedByPolicy", Level = LogLevel.Information,
        Message = "Denied {Method} of process {Pid} (task {TaskId}): {Reason}")]
    public static partial void DeniedByPolicy(ILogger logger, int pid, string method, string taskId, string reason);

    [LoggerMessage(EventId = 4101, EventName = "AuditFailed", Level = LogLevel.Error,
        Message = "Could not write the audit record for process {Pid}; the call is refused")]
    public static partial void AuditFailed(ILogger logger, int pid, Exception exception);

    [LoggerMessage(EventId = 4102, EventName = "TaskSvidRefused", Level = LogLevel.Warning,
        Message = "Refused to hand an SVID of task {TaskId} to process {Pid}: {Reason}")]
    public static partial void SvidRefused(ILogger logger, string taskId, int pid, string reason);

    [LoggerMessage(EventId = 4103, EventName = "RevokedTokenRejected", Level = LogLevel.Information,
        Message = "ValidateJWTSVID from process {Pid}: the token of {SpiffeId} has been revoked")]
    public static partial void RevokedTokenRejected(ILogger logger, int pid, Spiffe.Core.SpiffeId spiffeId);

    [LoggerMessage(EventId = 4104, EventName = "AdminCallRefused", Level = LogLevel.Warning,
        Message = "Refused admin call {Method} from uid {Uid}: not in allowed_uids")]
    public static partial void AdminCallRefused(ILogger logger, string method, uint uid);

    [LoggerMessage(EventId = 4105, EventName = "AdminEndpointStarted", Level = LogLevel.Information,
        Message = "Admin API (tasks) listening on {SocketPath}")]
    public static partial void AdminEndpointStarted(ILogger logger, string socketPath);

    [LoggerMessage(EventId = 4106, EventName = "AdminEndpointStartFailed", Level = LogLevel.Critical,
        Message = "Could not open the admin socket {SocketPath}")]
    public static partial void AdminEndpointStartFailed(ILogger logger, string socketPath, Exception exception);

    [LoggerMessage(EventId = 4107, EventName = "AdminCallerUntracked", Level = LogLevel.Warning,
        Message = "Closed admin connection {ConnectionId}: its peer credentials cannot be read")]
    public static partial void AdminCallerUntracked(ILogger logger, string connectionId, Exception exception);
}
