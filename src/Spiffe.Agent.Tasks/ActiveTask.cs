using System.Runtime.Versioning;
using Spiffe.Agent.Tasks.Linux;
using Spiffe.Agent.Tasks.Revocation;

namespace Spiffe.Agent.Tasks;

/// <summary>The supervisor's mutable view of an active task. Owned by <see cref="TaskManager"/> under its gate.</summary>
[SupportedOSPlatform("linux")]
internal sealed class ActiveTask
{
    public ActiveTask(TaskLease lease, string cgroupDirectory, PidFd? main, ulong? mainStartTime)
    {
        Lease = lease;
        CgroupDirectory = cgroupDirectory;
        Main = main;
        MainStartTime = mainStartTime;
        EverPopulated = main is not null;
    }

    public TaskLease Lease { get; }

    public string CgroupDirectory { get; }

    /// <summary>pidfd of the main process; <see langword="null"/> for a task without one.</summary>
    public PidFd? Main { get; set; }

    public ulong? MainStartTime { get; }

    public bool EverPopulated { get; set; }

    public List<IssuedCredential> Issued { get; } = [];

    public PersistedTask ToPersisted() => new(Lease, CgroupDirectory, MainStartTime, EverPopulated, [.. Issued]);
}
