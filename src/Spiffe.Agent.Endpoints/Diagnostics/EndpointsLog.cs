using Grpc.Core;
using Microsoft.Extensions.Logging;
using Spiffe.Agent.Core.Attestation;

namespace Spiffe.Agent.Endpoints.Diagnostics;

/// <summary>
/// Every log event of the Workload API endpoint (event IDs 4001–4099, never reused). Nothing here logs a private
/// key, a JWT or a join token: SVIDs are named by SPIFFE ID only.
/// </summary>
internal static partial class EndpointsLog
{
    [LoggerMessage(EventId = 4001, EventName = "EndpointStarted", Level = LogLevel.Information,
        Message = "Starting Workload API on {SocketPath}")]
    public static partial void EndpointStarted(ILogger logger, string socketPath);

    [LoggerMessage(EventId = 4002, EventName = "EndpointStopped", Level = LogLevel.Information,
        Message = "Workload API endpoint on {SocketPath} stopped")]
    public static partial void EndpointStopped(ILogger logger, string socketPath);

    [LoggerMessage(EventId = 4003, EventName = "StaleSocketRemoved", Level = LogLevel.Debug,
        Message = "Removed stale socket file {SocketPath}")]
    public static partial void StaleSocketRemoved(ILogger logger, string socketPath);

    [LoggerMessage(EventId = 4004, EventName = "ConnectionWithoutSocket", Level = LogLevel.Error,
        Message = "Connection {ConnectionId} has no socket; closing it")]
    public static partial void ConnectionWithoutSocket(ILogger logger, string connectionId);

    [LoggerMessage(EventId = 4005, EventName = "CallerTrackingFailed", Level = LogLevel.Warning,
        Message = "Connection {ConnectionId} closed: the caller could not be tracked")]
    public static partial void CallerTrackingFailed(ILogger logger, string connectionId, Exception exception);

    [LoggerMessage(EventId = 4006, EventName = "SecurityHeaderMissing", Level = LogLevel.Debug,
        Message = "{Method} refused: security header missing from request")]
    public static partial void SecurityHeaderMissing(ILogger logger, string method);

    [LoggerMessage(EventId = 4007, EventName = "AttestationError", Level = LogLevel.Error,
        Message = "Workload attestation of PID {Pid} threw")]
    public static partial void AttestationError(ILogger logger, int pid, Exception exception);

    [LoggerMessage(EventId = 4008, EventName = "AttestationFailed", Level = LogLevel.Warning,
        Message = "{Method} from PID {Pid} refused: workload attestation failed")]
    public static partial void AttestationFailed(ILogger logger, int pid, string method);

    [LoggerMessage(EventId = 4009, EventName = "CallerGone", Level = LogLevel.Warning,
        Message = "{Method} from PID {Pid} refused and connection closed: could not verify existence of the original caller")]
    public static partial void CallerGone(ILogger logger, int pid, string method);

    [LoggerMessage(EventId = 4010, EventName = "CallCompleted", Level = LogLevel.Debug,
        Message = "{Method} from PID {Pid} completed with {Status} after {ElapsedMs:F1} ms")]
    public static partial void CallCompleted(ILogger logger, string method, int pid, StatusCode status, double elapsedMs);

    [LoggerMessage(EventId = 4011, EventName = "NoIdentityIssued", Level = LogLevel.Error,
        Message = "No identity issued to PID {Pid} ({Method}); selectors {Selectors}")]
    public static partial void NoIdentityIssued(ILogger logger, int pid, string method, SelectorSet selectors);

    [LoggerMessage(EventId = 4012, EventName = "X509SvidsSent", Level = LogLevel.Debug,
        Message = "Sent {Count} X509-SVID(s) to PID {Pid}: {SpiffeIds}")]
    public static partial void X509SvidsSent(ILogger logger, int count, int pid, SpiffeIdList spiffeIds);

    [LoggerMessage(EventId = 4013, EventName = "JwtSvidsIssued", Level = LogLevel.Debug,
        Message = "Issued {Count} JWT-SVID(s) to PID {Pid}: {SpiffeIds}")]
    public static partial void JwtSvidsIssued(ILogger logger, int count, int pid, SpiffeIdList spiffeIds);

    [LoggerMessage(EventId = 4014, EventName = "JwtSvidUnavailable", Level = LogLevel.Error,
        Message = "Could not fetch JWT-SVID for PID {Pid}")]
    public static partial void JwtSvidUnavailable(ILogger logger, int pid, Exception exception);

    [LoggerMessage(EventId = 4015, EventName = "JwtSvidValidationFailed", Level = LogLevel.Warning,
        Message = "JWT-SVID from PID {Pid} failed validation: {Reason}")]
    public static partial void JwtSvidValidationFailed(ILogger logger, int pid, string reason);

    [LoggerMessage(EventId = 4016, EventName = "IdentitiesRevoked", Level = LogLevel.Warning,
        Message = "Identities of PID {Pid} withdrawn ({Method}): {Reason}")]
    public static partial void IdentitiesRevoked(ILogger logger, int pid, string method, string reason);

    [LoggerMessage(EventId = 4017, EventName = "HealthCheckFailed", Level = LogLevel.Warning,
        Message = "Health check failed: loopback FetchX509SVID returned {Status}")]
    public static partial void HealthCheckFailed(ILogger logger, StatusCode status);

    [LoggerMessage(EventId = 4018, EventName = "EndpointStartFailed", Level = LogLevel.Critical,
        Message = "Could not start the Workload API endpoint on {SocketPath}")]
    public static partial void EndpointStartFailed(ILogger logger, string socketPath, Exception exception);

    [LoggerMessage(EventId = 4019, EventName = "WaitingForAgentStartup", Level = LogLevel.Debug,
        Message = "Workload API endpoint waits for node attestation and the first sync")]
    public static partial void WaitingForAgentStartup(ILogger logger);
}
