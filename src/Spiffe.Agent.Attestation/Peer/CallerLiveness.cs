using Spiffe.Agent.Attestation.Proc;
using Spiffe.Agent.Core.Attestation;

namespace Spiffe.Agent.Attestation.Peer;

/// <summary>
/// The procfs half of the liveness check (SPIRE's checks): the process read now must be the one recorded at connect
/// time — not exited, same start time (else the PID was reused), same effective user and group.
/// </summary>
internal static class CallerLiveness
{
    /// <summary>Returns null when the process matches the caller, else why it does not.</summary>
    /// <param name="caller">The peer credentials read at connect time.</param>
    /// <param name="startTime">The start time recorded when tracking began.</param>
    /// <param name="stat">The process's stat, read now.</param>
    /// <param name="status">The process's status, read now.</param>
    public static string? FindMismatch(CallerCredentials caller, ulong startTime, ProcStat stat, ProcStatus status)
    {
        ArgumentNullException.ThrowIfNull(stat);
        ArgumentNullException.ThrowIfNull(status);
        if (stat.Pid != caller.Pid)
        {
            return $"process entry is for PID {stat.Pid}, not {caller.Pid}";
        }

        if (stat.HasExited)
        {
            return $"process has exited (state {stat.State})";
        }

        if (stat.StartTime != startTime)
        {
            return $"new process detected: start time {stat.StartTime} does not match original caller {startTime}";
        }

        if (status.EffectiveUid != caller.Uid)
        {
            return $"process uid {status.EffectiveUid} does not match original caller {caller.Uid}";
        }

        if (status.EffectiveGid != caller.Gid)
        {
            return $"process gid {status.EffectiveGid} does not match original caller {caller.Gid}";
        }

        return null;
    }
}
