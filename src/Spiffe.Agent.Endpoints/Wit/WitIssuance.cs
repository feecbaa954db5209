using Grpc.Core;
using Microsoft.Extensions.Logging;
using Spiffe.Agent.Core.Tasks;
using Spiffe.Agent.Core.Wit;
using Spiffe.Agent.Endpoints.Tasks;
using Spiffe.Core;

namespace Spiffe.Agent.Endpoints.Wit;

/// <summary>
/// The task rules for WIT-SVIDs and proofs, applied by the handlers after the policy interceptor allowed the call (the
/// policy itself, with method <c>FetchWITSVID</c> or <c>CreateProof</c>, runs there as for every call).
/// <list type="bullet">
/// <item>Key export: <c>wit_svid_key</c> is withheld (sent empty) when the caller's task, or the task the WIT belongs
/// to, has keys not exportable, or when that task is no longer known (fail closed). Only the oracle can then use the
/// key.</item>
/// <item>Audit: a task's WIT-SVID handed out on a stream gets one <c>issue</c> record per <c>jti</c> and call; every proof
/// for a task's process gets an <c>issue</c> record with the WIT's <c>jti</c>, the proof's <c>jti</c>, the target (as
/// audience), the HTTP method and the policies. A record that cannot be written refuses the call (fail closed).</item>
/// <item>Proofs: a WIT on the revocation list is refused; the proof lifetime is the request's (or
/// <see cref="WitOptions.MaxProofLifetime"/>), capped by that maximum, the policy's <c>max_ttl</c> and the WIT's own
/// remaining life.</item>
/// </list>
/// Without task-bound identities (no <see cref="TaskEndpointServices"/>) every key is exportable and nothing is audited.
/// (Task WITs are recorded for revocation by the WIT cache when they are minted.)
/// </summary>
internal sealed class WitIssuance
{
    private readonly WitEndpointServices _wit;
    private readonly TaskEndpointServices? _tasks;
    private readonly ILogger<WitIssuance> _logger;

    /// <summary>Creates the helper; <paramref name="tasks"/> is null when task-bound identities are disabled.</summary>
    public WitIssuance(WitEndpointServices wit, ILogger<WitIssuance> logger, TaskEndpointServices? tasks = null)
    {
        _wit = wit ?? throw new ArgumentNullException(nameof(wit));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _tasks = tasks;
    }

    /// <summary>Whether <c>wit_svid_key</c> may carry the key of <paramref name="identity"/> to this caller.</summary>
    public bool CanExportKey(ServerCallContext context, WitIdentity identity)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(identity);
        if (_tasks is null)
        {
            return true;
        }

        if (context.GetTaskCall()?.Task is { KeysNotExportable: true })
        {
            return false;
        }

        return identity.Credential.TaskId is not { } taskId || _tasks.Directory.Find(taskId) is { KeysNotExportable: false };
    }

    /// <summary>Audits the task WIT-SVIDs of a stream message not yet audited on this call (<paramref name="audited"/> holds their <c>jti</c>s).</summary>
    public void AuditWitSvids(ServerCallContext context, IEnumerable<WitIdentity> identities, ISet<string> audited)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(identities);
        ArgumentNullException.ThrowIfNull(audited);
        if (_tasks is null || context.GetTaskCall() is not { Task: { } task } call)
        {
            return;
        }

        foreach (var identity in identities.Where(i => i.Credential.TaskId == task.TaskId))
        {
            var svid = identity.Credential.Svid;
            if (svid.Jti is not { } jti || !audited.Add(jti))
            {
                continue;
            }

            Audit(_tasks, new AuditEntry
            {
                Kind = AuditEntryKind.Issue,
                Workload = call.Workload,
                Task = task,
                Request = call.Request,
                SpiffeId = svid.Id.ToString(),
                Jti = jti,
                TtlSeconds = Seconds(svid.Expiry - (svid.IssuedAt ?? identity.Credential.MintedAt)),
                Allowed = true,
                Policies = call.Decision.Policies,
            });
        }
    }

    /// <summary>Throws <c>PermissionDenied</c> when the WIT is on the revocation list (its task has ended).</summary>
    public void CheckNotRevoked(WitIdentity identity, int callerPid)
    {
        ArgumentNullException.ThrowIfNull(identity);
        if (_tasks is not null && identity.Credential.Svid.Jti is { } jti && _tasks.Revocations.IsRevokedJti(jti))
        {
            const string Reason = "the WIT-SVID has been revoked";
            WitEndpointsLog.ProofRefused(_logger, callerPid, Reason);
            throw new RpcException(new Status(StatusCode.PermissionDenied, Reason));
        }
    }

    /// <summary>
    /// The lifetime of a proof: <paramref name="requestedSeconds"/> (0 for the maximum), capped by
    /// <see cref="WitOptions.MaxProofLifetime"/>, the policy's <c>max_ttl</c> and the WIT's remaining life; whole seconds.
    /// </summary>
    /// <exception cref="RpcException"><c>Unavailable</c> when the WIT has less than a second left.</exception>
    public TimeSpan ProofLifetime(ServerCallContext context, uint requestedSeconds, WitSvid wit, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(wit);
        var lifetime = _wit.Options.MaxProofLifetime;
        if (requestedSeconds > 0 && TimeSpan.FromSeconds(requestedSeconds) < lifetime)
        {
            lifetime = TimeSpan.FromSeconds(requestedSeconds);
        }

        if (context.GetTaskCall()?.Decision.MaxTtl is { } maxTtl && maxTtl < lifetime)
        {
            lifetime = maxTtl;
        }

        var remaining = TimeSpan.FromSeconds(Math.Floor((wit.Expiry - now).TotalSeconds));
        if (remaining < lifetime)
        {
            lifetime = remaining;
        }

        return lifetime >= TimeSpan.FromSeconds(1)
            ? TimeSpan.FromSeconds(Math.Floor(lifetime.TotalSeconds))
            : throw new RpcException(new Status(StatusCode.Unavailable, "the WIT-SVID expires in less than a second; retry"));
    }

    /// <summary>Audits a proof made for a task's process (before it is returned).</summary>
    public void AuditProof(ServerCallContext context, WitIdentity identity, WorkloadProofToken proof, string httpMethod)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(proof);
        if (_tasks is null || context.GetTaskCall() is not { Task: { } task } call)
        {
            return;
        }

        Audit(_tasks, new AuditEntry
        {
            Kind = AuditEntryKind.Issue,
            Workload = call.Workload,
            Task = task,
            Request = call.Request with { Audiences = [proof.Audience], SpiffeId = identity.Entry.SpiffeId.ToString() },
            SpiffeId = identity.Entry.SpiffeId.ToString(),
            Jti = identity.Credential.Svid.Jti,
            ProofJti = proof.Jti,
            HttpMethod = httpMethod,
            TtlSeconds = Seconds(proof.Expiry - proof.IssuedAt),
            Allowed = true,
            Policies = call.Decision.Policies,
        });
    }

    private static long Seconds(TimeSpan span) => (long)Math.Floor(span.TotalSeconds);

    private void Audit(TaskEndpointServices tasks, AuditEntry entry)
    {
        try
        {
            tasks.Audit.Append(entry);
        }
        catch (IOException ex)
        {
            TaskEndpointsLog.AuditFailed(_logger, entry.Workload.Pid, ex);
            throw new RpcException(new Status(StatusCode.Unavailable, "the audit trail cannot be written"));
        }
    }
}
