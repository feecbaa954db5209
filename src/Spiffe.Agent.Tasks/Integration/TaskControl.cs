using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Runtime.Versioning;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Spiffe.Agent.Core.Server;
using Spiffe.Agent.Core.Tasks;
using Spiffe.Core;

namespace Spiffe.Agent.Tasks.Integration;

/// <summary>
/// <see cref="ITaskControl"/>: a task start creates the registration entry on the server first and then the lease and
/// cgroup (<see cref="TaskManager.StartTaskAsync"/>); if the lease is refused the entry is deleted again, so nothing is
/// left half-created. Cheap checks (names, TTL, duplicates, parent) run before any server call. The server call happens
/// outside the task manager's gate, so supervision of the other tasks never waits on the network.
/// </summary>
[SupportedOSPlatform("linux")]
internal sealed class TaskControl : ITaskControl, IDisposable
{
    private readonly TaskManager manager;
    private readonly ITaskEntryRegistrar registrar;
    private readonly ITaskIdentityCache cache;
    private readonly TaskIdentities identities;
    private readonly TaskIdentityOptions identityOptions;
    private readonly TaskOptions options;
    private readonly TimeProvider timeProvider;
    private readonly ILogger<TaskControl> logger;
    private readonly SemaphoreSlim startGate = new(1, 1);
    private readonly ConcurrentDictionary<string, byte> pendingEntries = new(StringComparer.Ordinal);

    public TaskControl(
        TaskManager manager,
        ITaskEntryRegistrar registrar,
        ITaskIdentityCache cache,
        TaskIdentities identities,
        TaskIdentityOptions identityOptions,
        IOptions<TaskOptions> options,
        TimeProvider timeProvider,
        ILogger<TaskControl> logger)
    {
        ArgumentNullException.ThrowIfNull(manager);
        ArgumentNullException.ThrowIfNull(registrar);
        ArgumentNullException.ThrowIfNull(cache);
        ArgumentNullException.ThrowIfNull(identities);
        ArgumentNullException.ThrowIfNull(identityOptions);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        this.manager = manager;
        this.registrar = registrar;
        this.cache = cache;
        this.identities = identities;
        this.identityOptions = identityOptions;
        this.options = options.Value;
        this.timeProvider = timeProvider;
        this.logger = logger;
    }

    /// <summary>Whether an entry belongs to a start in progress (its lease does not exist yet).</summary>
    public bool IsPending(string entryId) => pendingEntries.ContainsKey(entryId);

    /// <inheritdoc />
    public async Task<TaskIdentity> StartAsync(TaskStartSpec spec, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var taskId = string.IsNullOrEmpty(spec.TaskId) ? TaskNames.NewTaskId() : spec.TaskId;
        if (!TaskNames.IsValid(taskId))
        {
            throw Invalid($"task id '{taskId}' is invalid: it must match {TaskNames.Pattern}");
        }

        if (!TaskNames.IsValid(spec.Agent))
        {
            throw Invalid($"agent name '{spec.Agent}' is invalid: it must match {TaskNames.Pattern}");
        }

        SpiffeId spiffeId;
        try
        {
            spiffeId = identities.SpiffeIdFor(spec.Agent, taskId);
        }
        catch (FormatException ex)
        {
            throw Invalid(ex.Message);
        }

        TaskLease lease;
        await startGate.WaitAsync(cancellationToken);
        try
        {
            var deadline = ResolveDeadline(spec, timeProvider.GetUtcNow());
            if (manager.Find(taskId) is not null)
            {
                throw new TaskControlException(TaskControlError.AlreadyExists, $"task '{taskId}' already exists");
            }

            var entryId = TaskSelectors.NewEntryId();
            pendingEntries.TryAdd(entryId, 0);
            try
            {
                await CreateEntryAsync(entryId, spiffeId, taskId, deadline, cancellationToken);
                try
                {
                    lease = await manager.StartTaskAsync(
                        new StartTaskRequest
                        {
                            Agent = spec.Agent,
                            TaskId = taskId,
                            ParentTaskId = spec.ParentTaskId,
                            Deadline = deadline,
                            MainPid = spec.MainPid,
                            KillOnExpiry = spec.KillOnExpiry,
                            SpiffeId = spiffeId.ToString(),
                            EntryId = entryId,
                            KeysNotExportable = spec.KeysNotExportable,
                        },
                        cancellationToken);
                }
                catch (Exception ex) when (ex is TaskException or OperationCanceledException)
                {
                    await DeleteEntryAsync(entryId, taskId);
                    throw ex is TaskException taskError ? Map(taskError) : ex;
                }
            }
            finally
            {
                pendingEntries.TryRemove(entryId, out _);
            }
        }
        finally
        {
            startGate.Release();
        }

        try
        {
            await cache.SyncNowAsync(cancellationToken);
        }
        catch (SpireServerException ex)
        {
            // The entry exists; the next regular sync brings it into the cache.
            TaskIntegrationLog.SyncAfterStartFailed(logger, taskId, ex.Message);
        }

        return identities.From(lease);
    }

    /// <inheritdoc />
    public async Task<TaskChange> EndAsync(string taskId, bool kill, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(taskId);
        TaskEnded ended;
        try
        {
            ended = await manager.EndTaskAsync(taskId, TaskEndReason.Explicit, kill, cancellationToken);
        }
        catch (TaskException ex)
        {
            throw Map(ex);
        }

        var reason = TaskManager.ReasonName(ended.Reason);
        cache.RevokeTask(taskId, RevocationMessage(taskId, reason));
        return new TaskChange(identities.From(ended.Lease), reason, ended.At);
    }

    /// <inheritdoc />
    public IReadOnlyList<TaskIdentity> List() => manager.List().Select(identities.From).ToList();

    /// <inheritdoc />
    public async IAsyncEnumerable<TaskChange> WatchAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var item in manager.Watch(cancellationToken))
        {
            yield return item is TaskEnded ended
                ? new TaskChange(identities.From(ended.Lease), TaskManager.ReasonName(ended.Reason), ended.At)
                : new TaskChange(identities.From(item.Lease), null, item.At);
        }
    }

    /// <summary>Releases the start lock.</summary>
    public void Dispose() => startGate.Dispose();

    /// <summary>The <c>PermissionDenied</c> message of a task process's streams when its task ends.</summary>
    public static string RevocationMessage(string taskId, string reason) => $"task {taskId} ended ({reason}): its identity is revoked";

    /// <summary>Maps a task manager refusal to a gRPC-level error.</summary>
    public static TaskControlException Map(TaskException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var error = exception.Error switch
        {
            TaskError.DuplicateTask => TaskControlError.AlreadyExists,
            TaskError.UnknownTask or TaskError.UnknownParentTask or TaskError.ProcessNotFound => TaskControlError.NotFound,
            TaskError.ProcessInOtherTask => TaskControlError.PermissionDenied,
            TaskError.CgroupFailure or TaskError.StateCorrupt => TaskControlError.Internal,
            _ => TaskControlError.InvalidArgument,
        };
        return new TaskControlException(error, exception.Message, exception);
    }

    private static TaskControlException Invalid(string message) => new(TaskControlError.InvalidArgument, message);

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private DateTimeOffset ResolveDeadline(TaskStartSpec spec, DateTimeOffset now)
    {
        if (spec.Ttl is { } ttl && ttl <= TimeSpan.Zero)
        {
            throw Invalid($"ttl {ttl} must be positive");
        }

        if (spec.Ttl > options.MaxTtl)
        {
            throw Invalid($"ttl {spec.Ttl} exceeds the maximum of {options.MaxTtl}");
        }

        var deadline = now + (spec.Ttl ?? options.DefaultTtl);
        if (string.IsNullOrEmpty(spec.ParentTaskId))
        {
            return deadline;
        }

        var parent = manager.Find(spec.ParentTaskId)
            ?? throw new TaskControlException(TaskControlError.NotFound, $"parent task '{spec.ParentTaskId}' is not active");
        if (deadline <= parent.Deadline)
        {
            return deadline;
        }

        return spec.Ttl is null
            ? parent.Deadline
            : throw Invalid($"deadline {deadline:O} is after the parent task's deadline {parent.Deadline:O}");
    }

    private async Task CreateEntryAsync(string entryId, SpiffeId spiffeId, string taskId, DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        var left = deadline - timeProvider.GetUtcNow();
        var entry = new TaskEntrySpec(
            entryId,
            spiffeId,
            Core.Attestation.SelectorSet.Create([TaskSelectors.Id(taskId)]),
            Min(identityOptions.X509SvidTtl, left),
            Min(identityOptions.JwtSvidTtl, left),
            deadline);
        try
        {
            await registrar.CreateAsync(entry, cancellationToken);
        }
        catch (SpireServerException ex)
        {
            var error = ex.StatusCode == ServerStatusCode.PermissionDenied ? TaskControlError.FailedPrecondition : TaskControlError.Unavailable;
            throw new TaskControlException(error, "cannot create the task's registration entry: " + ex.Message, ex);
        }
    }

    private async Task DeleteEntryAsync(string entryId, string taskId)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30), timeProvider);
            await registrar.DeleteAsync(entryId, timeout.Token);
        }
        catch (Exception ex) when (ex is SpireServerException or TaskControlException or OperationCanceledException)
        {
            // The entry is parented to this agent, so it shows up in the cache and the coordinator removes it later.
            TaskIntegrationLog.EntryDeleteFailed(logger, entryId, taskId, ex.Message);
        }
    }
}
