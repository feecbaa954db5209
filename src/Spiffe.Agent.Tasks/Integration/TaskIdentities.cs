using Spiffe.Agent.Core.Tasks;
using Spiffe.Core;

namespace Spiffe.Agent.Tasks.Integration;

/// <summary>Maps leases to the <see cref="TaskIdentity"/> the rest of the agent sees.</summary>
internal sealed class TaskIdentities
{
    private readonly TaskIdentityOptions options;
    private readonly TrustDomain trustDomain;

    public TaskIdentities(TaskIdentityOptions options, TrustDomain trustDomain)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.options = options;
        this.trustDomain = trustDomain;
    }

    /// <summary>The SPIFFE ID a task of <paramref name="agent"/> with <paramref name="taskId"/> receives.</summary>
    /// <exception cref="FormatException">The template does not yield a SPIFFE ID.</exception>
    public SpiffeId SpiffeIdFor(string agent, string taskId) => options.SpiffeIdFor(trustDomain, agent, taskId);

    /// <summary>The identity of a lease (its SPIFFE ID from the lease, or from the template for a lease without one).</summary>
    public TaskIdentity From(TaskLease lease)
    {
        ArgumentNullException.ThrowIfNull(lease);
        var spiffeId = lease.SpiffeId is { } text && SpiffeId.TryParse(text, out var parsed) ? parsed : SpiffeIdFor(lease.Agent, lease.TaskId);
        return new TaskIdentity(
            lease.TaskId, lease.Agent, lease.ParentTaskId, lease.StartedAt, lease.Deadline, lease.Cgroup, spiffeId,
            lease.EntryId ?? string.Empty, lease.MainPid, lease.KillOnExpiry, lease.KeysNotExportable);
    }
}
