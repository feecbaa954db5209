using Microsoft.Extensions.Logging;
using Spiffe.Core;

namespace Spiffe.WorkloadApi.AspNetCore;

/// <summary>Log events of the WIT + Workload Proof Token authentication handler. Tokens and keys are never logged.</summary>
internal static partial class WorkloadProofLog
{
    [LoggerMessage(EventId = 1, EventName = "WorkloadProofRejected", Level = LogLevel.Information,
        Message = "{Scheme}: workload proof rejected ({Failure}): {Reason}")]
    public static partial void ProofRejected(this ILogger logger, string scheme, WorkloadProofFailure failure, string reason);

    [LoggerMessage(EventId = 2, EventName = "WorkloadProofRequestRejected", Level = LogLevel.Information,
        Message = "{Scheme}: request rejected: {Reason}")]
    public static partial void RequestRejected(this ILogger logger, string scheme, string reason);

    [LoggerMessage(EventId = 3, EventName = "WorkloadProofAccepted", Level = LogLevel.Debug,
        Message = "{Scheme}: workload proof accepted for {SpiffeId} (WIT jti {WitJti}, proof jti {ProofJti})")]
    public static partial void ProofAccepted(this ILogger logger, string scheme, string spiffeId, string? witJti, string proofJti);

    [LoggerMessage(EventId = 4, EventName = "BearerJwtSvidRejected", Level = LogLevel.Information,
        Message = "{Scheme}: bearer JWT-SVID fallback rejected: {Reason}")]
    public static partial void BearerRejected(this ILogger logger, string scheme, string reason);

    [LoggerMessage(EventId = 5, EventName = "BearerJwtSvidAccepted", Level = LogLevel.Information,
        Message = "{Scheme}: bearer JWT-SVID accepted for {SpiffeId} through the migration fallback")]
    public static partial void BearerAccepted(this ILogger logger, string scheme, string spiffeId);
}
