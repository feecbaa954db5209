using Microsoft.Extensions.Logging;
using Spiffe.Agent.Core.Attestation;

namespace Spiffe.Agent.Attestation;

/// <summary>Every log event of workload attestation and caller tracking (event IDs 3001–3099, never reused).</summary>
internal static partial class AttestationLog
{
    [LoggerMessage(EventId = 3001, EventName = "WorkloadAttestorFailed", Level = LogLevel.Warning,
        Message = "Workload attestor {Attestor} failed for PID {Pid}; its selectors are dropped")]
    public static partial void WorkloadAttestorFailed(ILogger logger, string attestor, int pid, Exception exception);

    [LoggerMessage(EventId = 3002, EventName = "WorkloadAttestationFailed", Level = LogLevel.Error,
        Message = "Workload attestation failed for PID {Pid}: all {AttestorCount} workload attestors failed")]
    public static partial void WorkloadAttestationFailed(ILogger logger, int pid, int attestorCount);

    [LoggerMessage(EventId = 3003, EventName = "CallerGone", Level = LogLevel.Warning,
        Message = "Could not verify existence of the original caller PID {Pid} after attestation; its selectors are refused")]
    public static partial void CallerGone(ILogger logger, int pid);

    [LoggerMessage(EventId = 3004, EventName = "WorkloadAttested", Level = LogLevel.Debug,
        Message = "PID {Pid} attested to have selectors {Selectors}")]
    public static partial void WorkloadAttested(ILogger logger, int pid, SelectorSet selectors);

    [LoggerMessage(EventId = 3005, EventName = "CallerCheckFailed", Level = LogLevel.Warning,
        Message = "Caller PID {Pid} (uid {Uid}, gid {Gid}) failed the liveness check: {Reason}")]
    public static partial void CallerCheckFailed(ILogger logger, int pid, uint uid, uint gid, string reason);

    [LoggerMessage(EventId = 3006, EventName = "CallerTracked", Level = LogLevel.Debug,
        Message = "Tracking caller PID {Pid} (uid {Uid}, gid {Gid}) with {Mechanism}")]
    public static partial void CallerTracked(ILogger logger, int pid, uint uid, uint gid, string mechanism);

    [LoggerMessage(EventId = 3007, EventName = "WorkloadBinaryHashed", Level = LogLevel.Debug,
        Message = "Hashed workload binary {Path} ({Size} bytes)")]
    public static partial void WorkloadBinaryHashed(ILogger logger, string path, ulong size);
}
