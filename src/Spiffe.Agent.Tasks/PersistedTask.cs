using Spiffe.Agent.Tasks.Revocation;

namespace Spiffe.Agent.Tasks;

/// <summary>One task in <c>tasks.json</c>: its lease plus what a restarted agent needs to resume supervising it.</summary>
/// <param name="Lease">The lease.</param>
/// <param name="CgroupDirectory">Absolute cgroup directory.</param>
/// <param name="MainStartTime">Start time (clock ticks since boot) of the main process, to tell it from a recycled PID.</param>
/// <param name="EverPopulated">Whether a process has been seen in the cgroup, so emptiness means the task is over.</param>
/// <param name="Issued">Credentials issued to the task, revoked when it ends.</param>
internal sealed record PersistedTask(
    TaskLease Lease,
    string CgroupDirectory,
    ulong? MainStartTime,
    bool EverPopulated,
    IReadOnlyList<IssuedCredential> Issued);
