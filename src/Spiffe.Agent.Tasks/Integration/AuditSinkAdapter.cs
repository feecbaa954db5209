using System.Runtime.Versioning;
using Spiffe.Agent.Core.Tasks;
using Spiffe.Agent.Tasks.Audit;
using Spiffe.Agent.Tasks.Policy;

namespace Spiffe.Agent.Tasks.Integration;

/// <summary><see cref="IAuditSink"/> over the hash-chained <see cref="AuditLog"/>.</summary>
[SupportedOSPlatform("linux")]
internal sealed class AuditSinkAdapter : IAuditSink
{
    private readonly AuditLog log;

    public AuditSinkAdapter(AuditLog log)
    {
        ArgumentNullException.ThrowIfNull(log);
        this.log = log;
    }

    /// <inheritdoc />
    public void Append(AuditEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var workload = entry.Workload;
        log.Append(new AuditRecord
        {
            Event = entry.Kind switch
            {
                AuditEntryKind.Attestation => AuditEvent.Attestation,
                AuditEntryKind.Issue => AuditEvent.Issue,
                AuditEntryKind.Denial => AuditEvent.Denial,
                _ => throw new ArgumentOutOfRangeException(nameof(entry), entry.Kind, "unknown audit entry kind"),
            },
            Pid = workload.Pid,
            Uid = workload.Uid,
            Executable = Empty(workload.Path),
            ExecutableSha256 = Empty(workload.Sha256),
            Cgroup = workload.Cgroup,
            TaskId = entry.Task?.TaskId,
            ParentTaskId = entry.Task?.ParentTaskId,
            SpiffeId = entry.SpiffeId ?? Empty(entry.Request?.SpiffeId),
            Audiences = entry.Request is { Audiences.Count: > 0 } request ? request.Audiences : null,
            Jti = entry.Jti,
            ProofJti = entry.ProofJti,
            Serial = entry.Serial,
            TtlSeconds = entry.TtlSeconds,
            Method = entry.Request?.Method,
            HttpMethod = Empty(entry.HttpMethod),
            Intent = Empty(entry.Request?.Intent),
            DataClass = Empty(entry.Request?.DataClass),
            Decision = entry.Allowed switch
            {
                true => AuditDecision.Allow,
                false => AuditDecision.Deny,
                null => null,
            },
            Reason = entry.Reason,
            Policies = entry.Policies is { Count: > 0 } policies ? policies.Select(p => new PolicyRef(p.Name, p.Sha256)).ToList() : null,
        });
    }

    private static string? Empty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
