using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using System.Runtime.Versioning;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Spiffe.Agent.Tasks.Audit;
using Spiffe.Agent.Tasks.Cgroups;
using Spiffe.Agent.Tasks.Linux;
using Spiffe.Agent.Tasks.Revocation;

namespace Spiffe.Agent.Tasks;

/// <summary>
/// Owns the task leases: starts tasks (cgroup + optional main process), ends them (revoke, kill if asked, remove the
/// cgroup), persists them to <c>tasks.json</c> so a restarted agent keeps them, and streams task events.
/// </summary>
/// <remarks>
/// Every change runs under one async gate and is persisted before it is announced; reads (<see cref="List"/>,
/// <see cref="Find"/>, <see cref="FindByProcess"/>) are lock-free. The constructor loads the persisted state: tasks whose
/// main process or cgroup did not survive the restart are ended there, with <see cref="TaskEndReason.LostOnRestart"/>,
/// and tasks whose deadline passed meanwhile are ended as usual.
/// </remarks>
[SupportedOSPlatform("linux")]
internal sealed class TaskManager : IAsyncDisposable
{
    private const string StateFileName = "tasks.json";

    private readonly SemaphoreSlim gate = new(1, 1);
    private readonly Dictionary<string, ActiveTask> active = new(StringComparer.Ordinal);
    private readonly EventBroadcaster<TaskEvent> watchers = new();
    private readonly TaskOptions options;
    private readonly ProcFs proc;
    private readonly TaskCgroups cgroups;
    private readonly RevocationList revocations;
    private readonly AuditLog audit;
    private readonly TimeProvider timeProvider;
    private readonly ILogger<TaskManager> logger;
    private readonly string stateFile;
    private volatile ImmutableDictionary<string, TaskLease> leases = ImmutableDictionary<string, TaskLease>.Empty;
    private bool disposed;

    public TaskManager(
        IOptions<TaskOptions> options,
        RevocationList revocations,
        AuditLog audit,
        TimeProvider timeProvider,
        ILogger<TaskManager> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(revocations);
        ArgumentNullException.ThrowIfNull(audit);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        this.options = options.Value;
        this.revocations = revocations;
        this.audit = audit;
        this.timeProvider = timeProvider;
        this.logger = logger;
        proc = new ProcFs(this.options.ProcRoot);
        cgroups = TaskCgroups.Open(proc, this.options.CgroupMount, this.options.CgroupParent);
        stateFile = Path.Combine(this.options.DataDirectory, StateFileName);
        Recover();
    }

    /// <summary>Absolute directory of the parent cgroup of all task cgroups.</summary>
    public string CgroupParentDirectory => cgroups.ParentDirectory;

    /// <summary>Absolute cgroup directory of a task (whether or not it exists).</summary>
    public string CgroupDirectoryFor(string taskId) => cgroups.DirectoryFor(taskId);

    /// <summary>
    /// Starts a task: validates the request, creates the task cgroup, moves <see cref="StartTaskRequest.MainPid"/> into
    /// it and opens its pidfd, persists the lease, writes a <c>task_started</c> audit record and announces it. Either all
    /// of that happens or none of it (no cgroup, no lease, the process back in its original cgroup).
    /// </summary>
    /// <exception cref="TaskException">The request breaks a rule; <see cref="TaskException.Error"/> says which.</exception>
    public async Task<TaskLease> StartTaskAsync(StartTaskRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var taskId = request.TaskId ?? TaskNames.NewTaskId();
        if (!TaskNames.IsValid(taskId))
        {
            throw new TaskException(TaskError.InvalidTaskId, $"task id '{taskId}' is invalid: it must match {TaskNames.Pattern}");
        }

        if (!TaskNames.IsValid(request.Agent))
        {
            throw new TaskException(TaskError.InvalidAgentName, $"agent name '{request.Agent}' is invalid: it must match {TaskNames.Pattern}");
        }

        await gate.WaitAsync(cancellationToken);
        try
        {
            ThrowIfDisposed();
            var now = timeProvider.GetUtcNow();
            var deadline = ResolveDeadline(request, now);
            if (active.ContainsKey(taskId))
            {
                throw new TaskException(TaskError.DuplicateTask, $"task '{taskId}' already exists");
            }

            if (request.ParentTaskId is { } parentId)
            {
                if (!active.TryGetValue(parentId, out var parent))
                {
                    throw new TaskException(TaskError.UnknownParentTask, $"parent task '{parentId}' is not active");
                }

                if (deadline > parent.Lease.Deadline && request.Ttl is null && request.Deadline is null)
                {
                    // No lifetime asked for: the default is cut to what the parent has left.
                    deadline = parent.Lease.Deadline;
                }
                else if (deadline > parent.Lease.Deadline)
                {
                    throw new TaskException(
                        TaskError.DeadlineExceedsParent,
                        $"deadline {deadline:O} is after the parent task's deadline {parent.Lease.Deadline:O}");
                }
            }

            var main = request.MainPid is { } pid ? OpenProcess(pid, taskId, request.ParentTaskId) : null;
            try
            {
                var directory = cgroups.DirectoryFor(taskId);
                cgroups.EnsureParent();
                if (!TaskCgroups.TryCreate(directory))
                {
                    throw new TaskException(
                        TaskError.DuplicateTask,
                        $"task '{taskId}' already exists: its cgroup is still present (an ended task's processes are draining)");
                }

                var lease = new TaskLease(
                    taskId, request.Agent, request.ParentTaskId, now, deadline, cgroups.ProcPathFor(taskId),
                    request.MainPid, request.KillOnExpiry)
                {
                    SpiffeId = request.SpiffeId,
                    EntryId = request.EntryId,
                    KeysNotExportable = request.KeysNotExportable,
                };
                var task = new ActiveTask(lease, directory, main?.PidFd, main?.Stat.StartTime);
                Commit(task, main, now);
                main = null;
                TaskLog.Started(logger, taskId, lease.Agent, deadline, lease.Cgroup, lease.MainPid);
                watchers.Publish(new TaskStarted(lease, now));
                return lease;
            }
            finally
            {
                main?.PidFd.Dispose();
            }
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>
    /// Moves a running process into an active task (it and its future children then belong to the task). The process
    /// must not belong to another active task, except the task's parent.
    /// </summary>
    /// <exception cref="TaskException">Unknown task, no such process, or the process belongs to another task.</exception>
    public async Task AdoptTaskAsync(string taskId, int pid, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(taskId);
        await gate.WaitAsync(cancellationToken);
        try
        {
            ThrowIfDisposed();
            var task = GetActiveLocked(taskId);
            var process = OpenProcess(pid, taskId, task.Lease.ParentTaskId);
            using (process.PidFd)
            {
                MoveInto(task.CgroupDirectory, pid, process.PidFd);
                var wasPopulated = task.EverPopulated;
                task.EverPopulated = true;
                try
                {
                    SaveStateLocked();
                    audit.Append(new AuditRecord
                    {
                        Event = AuditEvent.ProcessAdopted,
                        Pid = pid,
                        Uid = proc.TryReadEffectiveUid(pid),
                        Cgroup = task.Lease.Cgroup,
                        TaskId = taskId,
                        ParentTaskId = task.Lease.ParentTaskId,
                    });
                }
                catch
                {
                    task.EverPopulated = wasPopulated;
                    MoveBack(pid, process.Cgroup, taskId);
                    throw;
                }
            }

            TaskLog.Adopted(logger, pid, taskId);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>
    /// Ends an active task: its credentials go on the revocation list, its processes are killed when
    /// <paramref name="kill"/> is set, its cgroup is removed once empty, and a <see cref="TaskEnded"/> is announced.
    /// Child tasks end with it (<see cref="TaskEndReason.ParentEnded"/>).
    /// </summary>
    /// <exception cref="TaskException">No active task has this ID.</exception>
    public async Task<TaskEnded> EndTaskAsync(string taskId, TaskEndReason reason, bool kill, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(taskId);
        await gate.WaitAsync(cancellationToken);
        try
        {
            ThrowIfDisposed();
            return EndLocked(GetActiveLocked(taskId), reason, kill);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>
    /// Records a credential issued to a task so it is revoked when the task ends. When the task is no longer active
    /// (it ended while the credential was being issued) the credential is revoked at once and <see langword="false"/>
    /// is returned: the caller must not hand it out.
    /// </summary>
    public async Task<bool> RecordIssuedAsync(string taskId, IssuedCredential credential, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(taskId);
        ArgumentNullException.ThrowIfNull(credential);
        await gate.WaitAsync(cancellationToken);
        try
        {
            ThrowIfDisposed();
            if (!active.TryGetValue(taskId, out var task))
            {
                revocations.Revoke(taskId, [credential]);
                return false;
            }

            var now = timeProvider.GetUtcNow();
            task.Issued.RemoveAll(c => c.ExpiresAt + options.RevocationRetention <= now);
            task.Issued.Add(credential);
            try
            {
                SaveStateLocked();
            }
            catch
            {
                task.Issued.Remove(credential);
                throw;
            }

            return true;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>The active tasks, oldest first.</summary>
    public IReadOnlyList<TaskLease> List() =>
        leases.Values.OrderBy(l => l.StartedAt).ThenBy(l => l.TaskId, StringComparer.Ordinal).ToArray();

    /// <summary>The active task with this ID, or <see langword="null"/>.</summary>
    public TaskLease? Find(string taskId) => leases.GetValueOrDefault(taskId);

    /// <summary>
    /// The active task a process belongs to (by its cgroup), or <see langword="null"/>. A process left in the cgroup of
    /// an ended task belongs to no task.
    /// </summary>
    public TaskLease? FindByProcess(int pid) =>
        proc.TryReadCgroupV2Path(pid) is { } path && cgroups.TaskIdFromProcPath(path) is { } taskId
            ? leases.GetValueOrDefault(taskId)
            : null;

    /// <summary>
    /// Streams task events: first a <see cref="TaskStarted"/> for every task active at subscription, then every start and
    /// end as it happens.
    /// </summary>
    public async IAsyncEnumerable<TaskEvent> Watch([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        Channel<TaskEvent> channel;
        await gate.WaitAsync(cancellationToken);
        try
        {
            ThrowIfDisposed();
            channel = watchers.Subscribe();
            foreach (var lease in List())
            {
                channel.Writer.TryWrite(new TaskStarted(lease, lease.StartedAt));
            }
        }
        finally
        {
            gate.Release();
        }

        try
        {
            await foreach (var item in channel.Reader.ReadAllAsync(cancellationToken))
            {
                yield return item;
            }
        }
        finally
        {
            watchers.Unsubscribe(channel);
        }
    }

    /// <summary>
    /// One supervision pass (run by <see cref="TaskMonitor"/>): ends tasks whose deadline passed, whose main process
    /// exited, or whose cgroup emptied; removes emptied cgroups of ended tasks.
    /// </summary>
    public async Task CheckTasksAsync(CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken);
        try
        {
            ThrowIfDisposed();
            CheckLocked();
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Closes the pidfds. Tasks stay active in the persisted state for the next agent.</summary>
    public async ValueTask DisposeAsync()
    {
        await gate.WaitAsync();
        try
        {
            disposed = true;
            foreach (var task in active.Values)
            {
                task.Main?.Dispose();
            }

            active.Clear();
            leases = ImmutableDictionary<string, TaskLease>.Empty;
        }
        finally
        {
            gate.Release();
        }
    }

    private DateTimeOffset ResolveDeadline(StartTaskRequest request, DateTimeOffset now)
    {
        if (request.Ttl is not null && request.Deadline is not null)
        {
            throw new TaskException(TaskError.InvalidTtl, "give a ttl or a deadline, not both");
        }

        if (request.Ttl is { } ttl)
        {
            if (ttl <= TimeSpan.Zero)
            {
                throw new TaskException(TaskError.InvalidTtl, $"ttl {ttl} must be positive");
            }

            return ttl > options.MaxTtl
                ? throw new TaskException(TaskError.TtlExceedsMaximum, $"ttl {ttl} exceeds the maximum of {options.MaxTtl}")
                : now + ttl;
        }

        if (request.Deadline is { } deadline)
        {
            if (deadline <= now)
            {
                throw new TaskException(TaskError.DeadlineInPast, $"deadline {deadline:O} is not in the future (now {now:O})");
            }

            return deadline - now > options.MaxTtl
                ? throw new TaskException(
                    TaskError.TtlExceedsMaximum, $"deadline {deadline:O} is more than the maximum ttl of {options.MaxTtl} away")
                : deadline;
        }

        return now + options.DefaultTtl;
    }

    /// <summary>Opens a pidfd on <paramref name="pid"/> and checks it may join <paramref name="taskId"/>.</summary>
    private OpenedProcess OpenProcess(int pid, string taskId, string? parentTaskId)
    {
        var pidfd = PidFd.TryOpen(pid) ?? throw new TaskException(TaskError.ProcessNotFound, $"process {pid} does not exist");
        try
        {
            var stat = proc.TryReadStat(pid);
            var cgroup = proc.TryReadCgroupV2Path(pid);
            if (stat is null || cgroup is null || pidfd.HasExited())
            {
                throw new TaskException(TaskError.ProcessNotFound, $"process {pid} does not exist");
            }

            var owner = cgroups.TaskIdFromProcPath(cgroup);
            if (owner is not null && active.ContainsKey(owner) && owner != taskId && owner != parentTaskId)
            {
                throw new TaskException(TaskError.ProcessInOtherTask, $"process {pid} belongs to task '{owner}'");
            }

            return new OpenedProcess(pid, pidfd, stat, cgroup);
        }
        catch
        {
            pidfd.Dispose();
            throw;
        }
    }

    /// <summary>Makes a started task real: process moved, lease added and persisted, audited. All or nothing.</summary>
    private void Commit(ActiveTask task, OpenedProcess? main, DateTimeOffset now)
    {
        var taskId = task.Lease.TaskId;
        var moved = false;
        try
        {
            if (main is not null)
            {
                MoveInto(task.CgroupDirectory, main.Pid, main.PidFd);
                moved = true;
            }

            active.Add(taskId, task);
            SaveStateLocked();
            audit.Append(new AuditRecord
            {
                Event = AuditEvent.TaskStarted,
                SpiffeId = task.Lease.SpiffeId,
                Pid = main?.Pid,
                Uid = main is null ? null : proc.TryReadEffectiveUid(main.Pid),
                Cgroup = task.Lease.Cgroup,
                TaskId = taskId,
                ParentTaskId = task.Lease.ParentTaskId,
                TtlSeconds = (long)(task.Lease.Deadline - now).TotalSeconds,
            });
        }
        catch
        {
            if (active.Remove(taskId))
            {
                TrySaveStateLocked(taskId);
            }

            if (moved)
            {
                MoveBack(main!.Pid, main.Cgroup, taskId);
            }

            TaskCgroups.TryRemove(task.CgroupDirectory);
            throw;
        }

        PublishLeasesLocked();
    }

    private static void MoveInto(string directory, int pid, PidFd pidfd)
    {
        try
        {
            TaskCgroups.AddProcess(directory, pid);
        }
        catch (IOException ex)
        {
            throw pidfd.HasExited()
                ? new TaskException(TaskError.ProcessNotFound, $"process {pid} exited", ex)
                : new TaskException(TaskError.CgroupFailure, $"cannot move process {pid} into {directory}: {ex.Message}", ex);
        }
    }

    private void MoveBack(int pid, string originalProcPath, string taskId)
    {
        try
        {
            TaskCgroups.AddProcess(cgroups.DirectoryForProcPath(originalProcPath), pid);
        }
        catch (IOException ex)
        {
            TaskLog.CleanupFailed(logger, ex, "move process back", taskId);
        }
    }

    private TaskEnded EndLocked(ActiveTask task, TaskEndReason reason, bool kill)
    {
        var now = timeProvider.GetUtcNow();
        var taskId = task.Lease.TaskId;
        active.Remove(taskId);
        PublishLeasesLocked();
        var revoked = revocations.Revoke(taskId, task.Issued, task.Lease.SpiffeId, ReasonName(reason));

        if (kill)
        {
            Cleanup("kill cgroup", taskId, () => cgroups.Kill(task.CgroupDirectory));
        }

        task.Main?.Dispose();
        TaskCgroups.TryRemove(task.CgroupDirectory);
        TrySaveStateLocked(taskId);
        Cleanup("audit", taskId, () =>
        {
            audit.Append(new AuditRecord
            {
                Event = AuditEvent.TaskEnded,
                SpiffeId = task.Lease.SpiffeId,
                Pid = task.Lease.MainPid,
                Cgroup = task.Lease.Cgroup,
                TaskId = taskId,
                ParentTaskId = task.Lease.ParentTaskId,
                Reason = ReasonName(reason),
            });
            foreach (var credential in revoked)
            {
                audit.Append(new AuditRecord
                {
                    Event = AuditEvent.Revocation,
                    TaskId = taskId,
                    ParentTaskId = task.Lease.ParentTaskId,
                    SpiffeId = task.Lease.SpiffeId,
                    Jti = credential.Kind == CredentialKind.Jwt ? credential.Id : null,
                    Serial = credential.Kind == CredentialKind.X509 ? credential.Id : null,
                    TtlSeconds = (long)Math.Max(0, (credential.ExpiresAt - now).TotalSeconds),
                    Reason = ReasonName(reason),
                });
            }
        });

        TaskLog.Ended(logger, taskId, reason, revoked.Count);
        var ended = new TaskEnded(task.Lease, reason, now);
        watchers.Publish(ended);

        foreach (var child in active.Values.Where(t => t.Lease.ParentTaskId == taskId).ToArray())
        {
            EndLocked(child, TaskEndReason.ParentEnded, child.Lease.KillOnExpiry);
        }

        return ended;
    }

    private void CheckLocked()
    {
        var now = timeProvider.GetUtcNow();
        var dirty = false;
        foreach (var task in active.Values.ToArray())
        {
            if (!active.ContainsKey(task.Lease.TaskId))
            {
                continue;
            }

            if (now >= task.Lease.Deadline)
            {
                EndLocked(task, TaskEndReason.DeadlineReached, task.Lease.KillOnExpiry);
            }
            else if (task.Main is not null && task.Main.HasExited())
            {
                EndLocked(task, TaskEndReason.MainProcessExited, kill: false);
            }
            else if (TaskCgroups.IsPopulated(task.CgroupDirectory))
            {
                dirty |= !task.EverPopulated;
                task.EverPopulated = true;
            }
            else if (task.Main is not null)
            {
                // The main process lives in the task cgroup, so an emptied cgroup means it is exiting; its pidfd may
                // become readable a moment after the cgroup empties.
                EndLocked(task, TaskEndReason.MainProcessExited, kill: false);
            }
            else if (task.EverPopulated || !TaskCgroups.Exists(task.CgroupDirectory))
            {
                EndLocked(task, TaskEndReason.CgroupEmpty, kill: false);
            }
        }

        if (dirty)
        {
            TrySaveStateLocked(taskId: "(all)");
        }

        foreach (var taskId in cgroups.ListTaskIds())
        {
            if (!active.ContainsKey(taskId) && TaskCgroups.TryRemove(cgroups.DirectoryFor(taskId)))
            {
                TaskLog.CgroupRemoved(logger, taskId);
            }
        }
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(disposed, this);

    /// <summary>
    /// Loads <c>tasks.json</c> and resumes each task, or ends it when its cgroup or main process is gone; then runs a
    /// check so deadlines that passed while the agent was down take effect at once.
    /// </summary>
    /// <exception cref="TaskException">The state file cannot be read (<see cref="TaskError.StateCorrupt"/>).</exception>
    private void Recover()
    {
        AtomicFile.EnsureDirectory(options.DataDirectory);
        cgroups.EnsureParent();
        var lost = new List<(ActiveTask Task, string Detail)>();
        foreach (var persisted in LoadState())
        {
            var task = new ActiveTask(persisted.Lease, persisted.CgroupDirectory, main: null, persisted.MainStartTime)
            {
                EverPopulated = persisted.EverPopulated,
            };
            task.Issued.AddRange(persisted.Issued);
            active[persisted.Lease.TaskId] = task;
            if (Resume(task) is { } detail)
            {
                lost.Add((task, detail));
            }
            else
            {
                TaskLog.Resumed(logger, persisted.Lease.TaskId);
            }
        }

        PublishLeasesLocked();
        foreach (var (task, detail) in lost)
        {
            TaskLog.LostOnRestart(logger, task.Lease.TaskId, detail);
            if (active.ContainsKey(task.Lease.TaskId))
            {
                EndLocked(task, TaskEndReason.LostOnRestart, kill: false);
            }
        }

        CheckLocked();
    }

    /// <summary>Re-opens what a persisted task needs; returns why it cannot be resumed, or <see langword="null"/>.</summary>
    private string? Resume(ActiveTask task)
    {
        if (!TaskCgroups.Exists(task.CgroupDirectory))
        {
            return "its cgroup is gone";
        }

        if (task.Lease.MainPid is not { } pid)
        {
            return null;
        }

        var pidfd = PidFd.TryOpen(pid);
        var stat = proc.TryReadStat(pid);
        var cgroup = proc.TryReadCgroupV2Path(pid);
        var inTask = cgroup is not null
            && (cgroup == task.Lease.Cgroup || cgroup.StartsWith(task.Lease.Cgroup + "/", StringComparison.Ordinal));
        if (pidfd is null || stat is null || stat.StartTime != task.MainStartTime || !inTask || pidfd.HasExited())
        {
            pidfd?.Dispose();
            return $"main process {pid} is gone";
        }

        task.Main = pidfd;
        return null;
    }

    private ActiveTask GetActiveLocked(string taskId) =>
        active.TryGetValue(taskId, out var task)
            ? task
            : throw new TaskException(TaskError.UnknownTask, $"task '{taskId}' is not active");

    private void PublishLeasesLocked() =>
        leases = active.ToImmutableDictionary(p => p.Key, p => p.Value.Lease, StringComparer.Ordinal);

    private IReadOnlyList<PersistedTask> LoadState()
    {
        if (!File.Exists(stateFile))
        {
            return [];
        }

        try
        {
            var state = JsonSerializer.Deserialize(File.ReadAllBytes(stateFile), TasksJsonContext.Default.PersistedTaskState)
                ?? throw new JsonException("empty document");
            return state.Version == PersistedTaskState.CurrentVersion
                ? state.Tasks
                : throw new JsonException($"unsupported version {state.Version}");
        }
        catch (JsonException ex)
        {
            throw new TaskException(TaskError.StateCorrupt, $"task state {stateFile} cannot be read: {ex.Message}", ex);
        }
    }

    private void SaveStateLocked()
    {
        var state = new PersistedTaskState(
            PersistedTaskState.CurrentVersion,
            active.Values.OrderBy(t => t.Lease.TaskId, StringComparer.Ordinal).Select(t => t.ToPersisted()).ToArray());
        AtomicFile.Write(stateFile, JsonSerializer.SerializeToUtf8Bytes(state, TasksJsonContext.Default.PersistedTaskState));
    }

    private void TrySaveStateLocked(string taskId) => Cleanup("save state", taskId, SaveStateLocked);

    /// <summary>Runs a step that must not stop an end or a rollback; a failure is logged.</summary>
    private void Cleanup(string step, string taskId, Action action)
    {
        try
        {
            action();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            TaskLog.CleanupFailed(logger, ex, step, taskId);
        }
    }

    /// <summary>The snake_case name of an end reason, as audited and reported (<c>deadline_reached</c>…).</summary>
    internal static string ReasonName(TaskEndReason reason) => reason switch
    {
        TaskEndReason.Explicit => "explicit",
        TaskEndReason.DeadlineReached => "deadline_reached",
        TaskEndReason.MainProcessExited => "main_process_exited",
        TaskEndReason.CgroupEmpty => "cgroup_empty",
        TaskEndReason.ParentEnded => "parent_ended",
        TaskEndReason.LostOnRestart => "lost_on_restart",
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, "unknown end reason"),
    };
}
