using System.Text.Json;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using Spiffe.Agent.Core.Tasks;
using Spiffe.Agent.Core.Workload;
using Spiffe.Core;

namespace Spiffe.Agent.Endpoints.Tasks;

/// <summary>
/// What the Workload API handlers do with task credentials before handing them out: an SVID of the caller's task entry
/// must not outlive the task (X.509 <c>notAfter</c>, JWT <c>exp</c>), a task JWT-SVID must carry a <c>jti</c> and live no
/// longer than the policy's <c>max_ttl</c>; each one is recorded with its task (so the task's end revokes it) and
/// audited. A refused JWT-SVID fails the call with <c>PermissionDenied</c>; a refused X509-SVID is left out of the
/// response. <c>ValidateJWTSVID</c> rejects revoked tokens.
/// </summary>
internal sealed class TaskIssuance
{
    /// <summary>The <c>ValidateJWTSVID</c> status message for a revoked token.</summary>
    public const string RevokedMessage = "token has been revoked";

    private readonly TaskEndpointServices _tasks;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<TaskIssuance> _logger;

    /// <summary>Creates the helper.</summary>
    public TaskIssuance(TaskEndpointServices tasks, TimeProvider timeProvider, ILogger<TaskIssuance> logger)
    {
        _tasks = tasks ?? throw new ArgumentNullException(nameof(tasks));
        _timeProvider = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    /// <summary>The identities of an X509-SVID response that may be handed out (task SVIDs checked, recorded, audited).</summary>
    public async Task<IReadOnlyList<WorkloadIdentity>> FilterX509Async(ServerCallContext context, IReadOnlyList<WorkloadIdentity> identities)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(identities);
        if (context.GetTaskCall() is not { Task: { } task } call)
        {
            return identities;
        }

        var kept = new List<WorkloadIdentity>(identities.Count);
        foreach (var identity in identities)
        {
            if (!IsTaskEntry(identity.Entry, task))
            {
                kept.Add(identity);
                continue;
            }

            var leaf = identity.Svid.Certificates[0];
            var serial = leaf.SerialNumber;
            if (call.RecordedSerials.Contains(serial))
            {
                kept.Add(identity);
                continue;
            }

            DateTimeOffset notAfter = leaf.NotAfter;
            if (notAfter > task.Deadline)
            {
                Refuse(call, task, $"the X509-SVID expires at {notAfter:O}, after the task's deadline {task.Deadline:O}");
                continue;
            }

            if (!await _tasks.Recorder.RecordX509Async(task.TaskId, serial, notAfter, context.CancellationToken))
            {
                Refuse(call, task, "the task ended while its X509-SVID was being issued");
                continue;
            }

            call.RecordedSerials.Add(serial);
            Audit(new AuditEntry
            {
                Kind = AuditEntryKind.Issue,
                Workload = call.Workload,
                Task = task,
                Request = call.Request,
                SpiffeId = identity.Entry.SpiffeId.ToString(),
                Serial = NormalizedSerial(serial),
                TtlSeconds = Seconds(notAfter - (DateTimeOffset)leaf.NotBefore),
                Allowed = true,
                Policies = call.Decision.Policies,
            });
            kept.Add(identity);
        }

        return kept;
    }

    /// <summary>Checks, records and audits the task JWT-SVIDs of a <c>FetchJWTSVID</c> response; throws to refuse.</summary>
    public async Task CheckJwtAsync(ServerCallContext context, IReadOnlyList<IssuedJwtSvid> svids, IReadOnlyList<string> audiences)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(svids);
        if (context.GetTaskCall() is not { Task: { } task } call)
        {
            return;
        }

        foreach (var svid in svids.Where(s => s.SpiffeId == task.SpiffeId))
        {
            var jti = ReadJti(svid.Token, audiences);
            var lifetime = svid.ExpiresAt - svid.IssuedAt;
            var problem = jti is null ? "the JWT-SVID has no jti"
                : svid.ExpiresAt > task.Deadline ? $"the JWT-SVID expires at {svid.ExpiresAt:O}, after the task's deadline {task.Deadline:O}"
                : call.Decision.MaxTtl is { } maxTtl && lifetime > maxTtl
                    ? $"the JWT-SVID lives {Seconds(lifetime)} s; policy allows at most {Seconds(maxTtl)} s"
                : null;
            if (problem is null && !await _tasks.Recorder.RecordJwtAsync(task.TaskId, jti!, svid.ExpiresAt, context.CancellationToken))
            {
                problem = "the task ended while its JWT-SVID was being issued";
            }

            if (problem is not null)
            {
                Refuse(call, task, problem);
                throw new RpcException(new Status(StatusCode.PermissionDenied, "could not issue the task's JWT-SVID: " + problem));
            }

            Audit(new AuditEntry
            {
                Kind = AuditEntryKind.Issue,
                Workload = call.Workload,
                Task = task,
                Request = call.Request,
                SpiffeId = svid.SpiffeId.ToString(),
                Jti = jti,
                TtlSeconds = Seconds(lifetime),
                Allowed = true,
                Policies = call.Decision.Policies,
            });
        }
    }

    /// <summary>Throws <c>InvalidArgument "token has been revoked"</c> when the validated token's <c>jti</c> is revoked.</summary>
    public void CheckNotRevoked(JwtSvid svid, int callerPid)
    {
        ArgumentNullException.ThrowIfNull(svid);
        if (svid.Claims.TryGetValue("jti", out var jti) && jti.ValueKind == JsonValueKind.String
            && jti.GetString() is { Length: > 0 } id && _tasks.Revocations.IsRevokedJti(id))
        {
            TaskEndpointsLog.RevokedTokenRejected(_logger, callerPid, svid.Id);
            throw new RpcException(new Status(StatusCode.InvalidArgument, RevokedMessage));
        }
    }

    private static bool IsTaskEntry(RegistrationEntry entry, TaskIdentity task) =>
        entry.Selectors.Contains(TaskSelectors.Id(task.TaskId));

    private static string NormalizedSerial(string serial)
    {
        var trimmed = serial.ToLowerInvariant().TrimStart('0');
        return trimmed.Length == 0 ? "0" : trimmed;
    }

    private static long Seconds(TimeSpan span) => (long)Math.Floor(span.TotalSeconds);

    private string? ReadJti(string token, IReadOnlyList<string> audiences)
    {
        try
        {
            var parsed = JwtSvid.ParseInsecure(token, audiences, _timeProvider.GetUtcNow());
            return parsed.Claims.TryGetValue("jti", out var jti) && jti.ValueKind == JsonValueKind.String && jti.GetString() is { Length: > 0 } id
                ? id
                : null;
        }
        catch (JwtSvidException)
        {
            return null;
        }
    }

    private void Refuse(TaskCall call, TaskIdentity task, string reason)
    {
        TaskEndpointsLog.SvidRefused(_logger, task.TaskId, call.Workload.Pid, reason);
        Audit(new AuditEntry
        {
            Kind = AuditEntryKind.Denial,
            Workload = call.Workload,
            Task = task,
            Request = call.Request,
            SpiffeId = task.SpiffeId.ToString(),
            Allowed = false,
            Reason = reason,
            Policies = call.Decision.Policies,
        });
    }

    private void Audit(AuditEntry entry)
    {
        try
        {
            _tasks.Audit.Append(entry);
        }
        catch (IOException ex)
        {
            TaskEndpointsLog.AuditFailed(_logger, entry.Workload.Pid, ex);
            throw new RpcException(new Status(StatusCode.Unavailable, "the audit trail cannot be written"));
        }
    }
}
