using System.Runtime.Versioning;
using Spiffe.Agent.Tasks.Linux;

namespace Spiffe.Agent.Tasks;

/// <summary>A process about to join a task: its pidfd (pinning it) and where it was before.</summary>
/// <param name="Pid">The PID.</param>
/// <param name="PidFd">A pidfd on it, owned by whoever holds this record.</param>
/// <param name="Stat">Its state and start time.</param>
/// <param name="Cgroup">Its cgroup before the move, as /proc/&lt;pid&gt;/cgroup shows it.</param>
[SupportedOSPlatform("linux")]
internal sealed record OpenedProcess(int Pid, PidFd PidFd, ProcStat Stat, string Cgroup);
