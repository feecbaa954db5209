namespace Spiffe.Agent.Configuration;

/// <summary>The workload attestors <c>spiffe-agent</c> has (<c>WorkloadAttestor "&lt;name&gt;"</c>).</summary>
internal enum WorkloadAttestorKind
{
    /// <summary><c>unix</c>: uid, gid, user, group, supplementary groups, optionally path and sha256.</summary>
    Unix,

    /// <summary><c>cgroup</c>: the process's cgroup paths.</summary>
    Cgroup,

    /// <summary><c>systemd</c>: the unit the process runs in.</summary>
    Systemd,

    /// <summary><c>container</c>: container and pod IDs derived from cgroups.</summary>
    Container,
}
