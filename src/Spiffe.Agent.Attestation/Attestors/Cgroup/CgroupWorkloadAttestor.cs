using Spiffe.Agent.Attestation.Proc;
using Spiffe.Agent.Core.Attestation;

namespace Spiffe.Agent.Attestation.Attestors.Cgroup;

/// <summary>
/// The <c>cgroup</c> workload attestor (this project's own; SPIRE has none): the process's cgroup membership from
/// <c>/proc/&lt;pid&gt;/cgroup</c>, which the kernel controls. The unified (v2) line <c>0::&lt;path&gt;</c> gives
/// <c>path:&lt;path&gt;</c>; each cgroup v1 line gives <c>v1:&lt;controller&gt;:&lt;path&gt;</c> for every controller
/// bound to that hierarchy (e.g. <c>v1:cpu:/a</c> and <c>v1:cpuacct:/a</c> for <c>4:cpu,cpuacct:/a</c>; the named
/// systemd hierarchy is <c>v1:name=systemd:/a</c>). Paths are as seen from the agent's cgroup namespace.
/// </summary>
internal sealed class CgroupWorkloadAttestor : IWorkloadAttestor
{
    /// <summary>The attestor name and selector type.</summary>
    public const string AttestorName = "cgroup";

    private readonly ProcFileSystem _proc;

    /// <summary>Creates the attestor.</summary>
    public CgroupWorkloadAttestor(ProcFileSystem proc)
    {
        _proc = proc ?? throw new ArgumentNullException(nameof(proc));
    }

    /// <inheritdoc />
    public string Name => AttestorName;

    /// <summary>The selectors for parsed cgroup lines.</summary>
    public static IReadOnlyList<Selector> ToSelectors(IEnumerable<CgroupEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var selectors = new List<Selector>();
        foreach (var entry in entries)
        {
            if (entry.IsUnified)
            {
                selectors.Add(new Selector(AttestorName, "path:" + entry.Path));
                continue;
            }

            foreach (var controller in entry.Controllers)
            {
                selectors.Add(new Selector(AttestorName, string.Concat("v1:", controller, ":", entry.Path)));
            }
        }

        return selectors;
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<Selector>> AttestAsync(int pid, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var entries = ProcReads.Read(pid, "cgroups", () => _proc.ReadCgroups(pid));
        return ValueTask.FromResult(ToSelectors(entries));
    }
}
