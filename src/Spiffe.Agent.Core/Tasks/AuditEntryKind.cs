namespace Spiffe.Agent.Core.Tasks;

/// <summary>The request-side audit events (task starts, ends and revocations are audited by the task subsystem).</summary>
internal enum AuditEntryKind
{
    /// <summary>A task process was attested for a Workload API call.</summary>
    Attestation,

    /// <summary>A credential was issued.</summary>
    Issue,

    /// <summary>A request was refused (policy, or a credential that would outlive its task).</summary>
    Denial,
}
