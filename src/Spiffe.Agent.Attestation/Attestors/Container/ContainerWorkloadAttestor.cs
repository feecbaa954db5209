using Spiffe.Agent.Attestation.Proc;
using Spiffe.Agent.Core.Attestation;

namespace Spiffe.Agent.Attestation.Attestors.Container;

/// <summary>
/// The <c>container</c> workload attestor: <c>id:&lt;container ID&gt;</c> and, in Kubernetes,
/// <c>pod_uid:&lt;pod UID&gt;</c>, found by <see cref="ContainerInfoExtractor"/>. A process that is not in a container
/// gets no selectors and no error; ambiguous paths (conflicting IDs) fail.
/// </summary>
/// <remarks>
/// Security invariant — cgroup beats mountinfo: <c>/proc/&lt;pid&gt;/cgroup</c> is written by the kernel and cannot be
/// forged by the workload, whereas <c>/proc/&lt;pid&gt;/mountinfo</c> describes the workload's own mount namespace, in
/// which it may bind-mount another container's cgroup directory. So mountinfo (the roots of its <c>cgroup</c> and
/// <c>cgroup2</c> mounts, skipping <c>/</c>) is consulted only when the cgroup file names no container, e.g. for a
/// process attested from inside its own cgroup namespace, where the paths carry no identifiers.
/// </remarks>
internal sealed class ContainerWorkloadAttestor : IWorkloadAttestor
{
    /// <summary>The attestor name and selector type.</summary>
    public const string AttestorName = "container";

    private readonly ProcFileSystem _proc;

    /// <summary>Creates the attestor.</summary>
    public ContainerWorkloadAttestor(ProcFileSystem proc)
    {
        _proc = proc ?? throw new ArgumentNullException(nameof(proc));
    }

    /// <inheritdoc />
    public string Name => AttestorName;

    /// <summary>Finds the container of a process: cgroup first, mountinfo only when cgroup names none.</summary>
    /// <exception cref="WorkloadAttestorException">A file cannot be read or parsed, or its paths conflict.</exception>
    public ContainerInfo Locate(int pid)
    {
        var cgroups = ReadIfPresent(pid, "cgroups", () => _proc.ReadCgroups(pid));
        var info = ContainerInfoExtractor.FromPaths(cgroups.Select(entry => entry.Path));
        if (info.ContainerId is not null)
        {
            return info;
        }

        var mounts = ReadIfPresent(pid, "mountinfo", () => _proc.ReadMountInfo(pid));
        return ContainerInfoExtractor.FromPaths(mounts.Where(m => m.IsCgroup && m.Root != "/").Select(m => m.Root));
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<Selector>> AttestAsync(int pid, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var info = Locate(pid);
        var selectors = new List<Selector>();
        if (info.ContainerId is not null)
        {
            selectors.Add(new Selector(AttestorName, "id:" + info.ContainerId));
        }

        if (info.PodUid is not null)
        {
            selectors.Add(new Selector(AttestorName, "pod_uid:" + info.PodUid));
        }

        return ValueTask.FromResult<IReadOnlyList<Selector>>(selectors);
    }

    // A missing file means "no information" (as in SPIRE); any other failure fails the attestor.
    private static IReadOnlyList<T> ReadIfPresent<T>(int pid, string what, Func<IReadOnlyList<T>> read)
    {
        try
        {
            return ProcReads.Read(pid, what, read);
        }
        catch (WorkloadAttestorException ex) when (ex.InnerException is FileNotFoundException or DirectoryNotFoundException)
        {
            return [];
        }
    }
}
