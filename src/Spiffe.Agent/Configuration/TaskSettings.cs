using Spiffe.Agent.Core.Tasks;
using Spiffe.Agent.Endpoints.Admin;
using Spiffe.Agent.Endpoints.Tasks;
using Spiffe.Agent.Tasks;
using Spiffe.Agent.Tasks.Audit;
using Spiffe.Agent.Tasks.Policy;

namespace Spiffe.Agent.Configuration;

/// <summary>The <c>tasks { }</c> block of agent.conf, bound to the options of each part of task-bound identities.</summary>
internal sealed class TaskSettings
{
    /// <summary>[<c>enabled</c>] Serve task-bound identities (default true when the block is present).</summary>
    public bool Enabled { get; init; }

    /// <summary>Leases, cgroups, supervision (<c>parent_cgroup</c>, <c>max_ttl</c>, <c>default_ttl</c>; state in <c>data_dir</c>).</summary>
    public TaskOptions Tasks { get; init; } = new();

    /// <summary>Policies (<c>policy_dir</c>).</summary>
    public PolicyOptions Policy { get; init; } = new();

    /// <summary>Audit trail (<c>audit_dir</c>, default <c>&lt;data_dir&gt;/audit</c>).</summary>
    public AuditOptions Audit { get; init; } = new();

    /// <summary>Identities (<c>spiffe_id_template</c>, <c>admin_spiffe_id</c>, <c>policy_for_all_callers</c>).</summary>
    public TaskIdentityOptions Identity { get; init; } = new();

    /// <summary>The Workload API side (<c>policy_for_all_callers</c>).</summary>
    public TaskEndpointOptions Endpoint { get; init; } = new();

    /// <summary>The admin socket (<c>admin_socket_path</c> in the agent block, <c>allowed_uids</c>).</summary>
    public AdminEndpointOptions Admin { get; init; } = new();
}
