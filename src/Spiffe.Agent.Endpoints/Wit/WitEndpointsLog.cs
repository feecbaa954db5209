using Microsoft.Extensions.Logging;
using Spiffe.Core;

namespace Spiffe.Agent.Endpoints.Wit;

/// <summary>
/// Log events of the WIT-SVID calls and the signing oracle (event IDs 4060–4079). Never logs a WIT, a proof or a
/// key: SVIDs are named by SPIFFE ID and credentials by <c>jti</c>.
/// </summary>
internal static partial class WitEndpointsLog
{
    [LoggerMessage(EventId = 4060, EventName = "WitSvidsSent", Level = LogLevel.Debug,
        Message = "Sent {Count} WIT-SVID(s) to PID {Pid}: {SpiffeIds}")]
    public static partial void WitSvidsSent(ILogger logger, int count, int pid, WitSpiffeIdList spiffeIds);

    [LoggerMessage(EventId = 4061, EventName = "WitKeyWithheld", Level = LogLevel.Debug,
        Message = "WIT-SVID key of {SpiffeId} withheld from PID {Pid}: the task's keys are not exportable")]
    public static partial void WitKeyWithheld(ILogger logger, SpiffeId spiffeId, int pid);

    [LoggerMessage(EventId = 4062, EventName = "WitSvidUnavailable", Level = LogLevel.Warning,
        Message = "No WIT-SVID for PID {Pid}")]
    public static partial void WitSvidUnavailable(ILogger logger, int pid, Exception exception);

    [LoggerMessage(EventId = 4063, EventName = "ProofCreated", Level = LogLevel.Debug,
        Message = "Signed proof {ProofJti} for PID {Pid} as {SpiffeId} (WIT {WitJti}) for {TargetUri}, expires {ExpiresAt:O}")]
    public static partial void ProofCreated(ILogger logger, string proofJti, int pid, SpiffeId spiffeId, string? witJti, string targetUri, DateTimeOffset expiresAt);

    [LoggerMessage(EventId = 4064, EventName = "ProofRefused", Level = LogLevel.Information,
        Message = "Refused a proof to PID {Pid}: {Reason}")]
    public static partial void ProofRefused(ILogger logger, int pid, string reason);
}
