namespace Spiffe.Agent.Tasks;

/// <summary>Configuration of task-bound identity: leases, cgroups, supervision and revocation.</summary>
internal sealed class TaskOptions
{
    /// <summary>Directory for <c>tasks.json</c> and <c>revocations.json</c> (created 0700 if missing).</summary>
    public string DataDirectory { get; set; } = "/var/lib/spiffe-agent";

    /// <summary>The cgroup v2 mount; <see langword="null"/> finds it in <c>/proc/self/mountinfo</c>.</summary>
    public string? CgroupMount { get; set; }

    /// <summary>Parent cgroup of the task cgroups, relative to the mount (created if missing).</summary>
    public string CgroupParent { get; set; } = "spiffe-agent.tasks";

    /// <summary>Root of the proc filesystem.</summary>
    public string ProcRoot { get; set; } = "/proc";

    /// <summary>Longest lifetime a task may ask for.</summary>
    public TimeSpan MaxTtl { get; set; } = TimeSpan.FromHours(8);

    /// <summary>Lifetime of a task that asks for neither a TTL nor a deadline.</summary>
    public TimeSpan DefaultTtl { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// How often <see cref="TaskMonitor"/> checks deadlines, main processes and cgroups. At most 500 ms, so a task end
    /// is revoked within one second.
    /// </summary>
    public TimeSpan MonitorInterval { get; set; } = TimeSpan.FromMilliseconds(150);

    /// <summary>How long a revoked credential stays listed after its own expiry (verifiers' clock-skew leeway).</summary>
    public TimeSpan RevocationRetention { get; set; } = TimeSpan.FromMinutes(5);
}
