using System.Runtime.Versioning;
using Microsoft.Extensions.Options;
using Spiffe.Agent.Core.Tasks;
using Spiffe.Agent.Tasks.Linux;

namespace Spiffe.Agent.Tasks.Integration;

/// <summary><see cref="ITaskDirectory"/> over <see cref="TaskManager"/> (lock-free reads) and <c>/proc</c>.</summary>
[SupportedOSPlatform("linux")]
internal sealed class TaskDirectory : ITaskDirectory
{
    private readonly TaskManager manager;
    private readonly TaskIdentities identities;
    private readonly ProcFs proc;

    public TaskDirectory(TaskManager manager, TaskIdentities identities, IOptions<TaskOptions> options)
    {
        ArgumentNullException.ThrowIfNull(manager);
        ArgumentNullException.ThrowIfNull(identities);
        ArgumentNullException.ThrowIfNull(options);
        this.manager = manager;
        this.identities = identities;
        proc = new ProcFs(options.Value.ProcRoot);
    }

    /// <inheritdoc />
    public TaskIdentity? Find(string taskId) => manager.Find(taskId) is { } lease ? identities.From(lease) : null;

    /// <inheritdoc />
    public TaskProcess? FindProcess(int pid)
    {
        var cgroup = proc.TryReadCgroupV2Path(pid);
        if (cgroup is null)
        {
            return null;
        }

        var lease = manager.FindByProcess(pid);
        return new TaskProcess(cgroup, lease is null ? null : identities.From(lease));
    }

    /// <inheritdoc />
    public IReadOnlyList<TaskIdentity> List() => manager.List().Select(identities.From).ToList();
}
