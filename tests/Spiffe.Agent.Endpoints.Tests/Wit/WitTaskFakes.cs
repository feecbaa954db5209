using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Spiffe.Agent.Core.Tasks;
using Spiffe.Agent.Endpoints.Tasks;
using Spiffe.Core;

namespace Spiffe.Agent.Endpoints.Tests.Wit;

/// <summary>
/// The task contracts by hand, bundled as <see cref="TaskEndpointServices"/>: one task (optional) holds the caller's
/// process, the policy answers <see cref="Decision"/> and records what it saw, the audit sink keeps every record.
/// </summary>
internal sealed class WitTaskFakes : ITaskDirectory, ITaskCredentialRecorder, IRevocationChecker, IRevocationFeed, IRequestPolicy, IAuditSink
{
    public WitTaskFakes() => Services = new TaskEndpointServices(new TaskEndpointOptions(), this, this, this, this, this, this);

    public TaskEndpointServices Services { get; }

    /// <summary>The task of every calling process, or null for callers outside tasks.</summary>
    public TaskIdentity? CallerTask { get; set; }

    /// <summary>Other known tasks by ID (the caller's is found too).</summary>
    public Dictionary<string, TaskIdentity> Tasks { get; } = new(StringComparer.Ordinal);

    public HashSet<string> RevokedJtis { get; } = new(StringComparer.Ordinal);

    public RequestPolicyDecision Decision { get; set; } = new(true, null, [new PolicyReference("p", new string('a', 64))], null);

    public ConcurrentQueue<RequestDescription> PolicyRequests { get; } = new();

    public ConcurrentQueue<AuditEntry> AuditEntries { get; } = new();

    public static TaskIdentity Task(string taskId, SpiffeId spiffeId, bool keysNotExportable, DateTimeOffset? deadline = null) => new(
        taskId,
        "researcher",
        null,
        TimeProvider.System.GetUtcNow(),
        deadline ?? TimeProvider.System.GetUtcNow().AddHours(1),
        "/spiffe-agent.tasks/task-" + taskId,
        spiffeId,
        "entry-" + taskId,
        null,
        false,
        keysNotExportable);

    public TaskIdentity? Find(string taskId) =>
        CallerTask is { } task && task.TaskId == taskId ? task : Tasks.GetValueOrDefault(taskId);

    public TaskProcess? FindProcess(int pid) => new(CallerTask?.Cgroup ?? "/user.slice", CallerTask);

    public IReadOnlyList<TaskIdentity> List() => [.. Tasks.Values];

    public Task<bool> RecordJwtAsync(string taskId, string jti, DateTimeOffset expiresAt, CancellationToken cancellationToken) => System.Threading.Tasks.Task.FromResult(true);

    public Task<bool> RecordX509Async(string taskId, string serialNumber, DateTimeOffset notAfter, CancellationToken cancellationToken) => System.Threading.Tasks.Task.FromResult(true);

    public bool IsRevokedJti(string jti) => RevokedJtis.Contains(jti);

    public bool IsRevokedSerial(string serialNumber) => false;

    public async IAsyncEnumerable<RevocationBatch> WatchAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        yield return new RevocationBatch(true, []);
        await System.Threading.Tasks.Task.Delay(Timeout.InfiniteTimeSpan, TimeProvider.System, cancellationToken);
    }

    public RequestPolicyDecision Evaluate(WorkloadDescription workload, TaskIdentity? task, RequestDescription request)
    {
        PolicyRequests.Enqueue(request);
        return Decision;
    }

    public void Append(AuditEntry entry) => AuditEntries.Enqueue(entry);
}
