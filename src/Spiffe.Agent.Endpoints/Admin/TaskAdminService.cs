using Grpc.Core;
using Spiffe.Agent.Core.Tasks;
using Spiffe.Proto.Agent.Task.V1;
using Task = System.Threading.Tasks.Task;
using TasksService = Spiffe.Proto.Agent.Task.V1.Tasks;
using ProtoTask = Spiffe.Proto.Agent.Task.V1.Task;
using ProtoTaskEvent = Spiffe.Proto.Agent.Task.V1.TaskEvent;

namespace Spiffe.Agent.Endpoints.Admin;

/// <summary>
/// <c>spiffe.agent.task.v1.Tasks</c> on the admin socket, over <see cref="ITaskControl"/>. Status codes: a bad ID, agent,
/// TTL, deadline or parent deadline → <c>InvalidArgument</c>; a duplicate → <c>AlreadyExists</c>; an unknown task,
/// parent or PID → <c>NotFound</c>; a PID of another task → <c>PermissionDenied</c>; no admin identity →
/// <c>FailedPrecondition</c>; the server unreachable → <c>Unavailable</c>.
/// </summary>
internal sealed class TaskAdminService : TasksService.TasksBase
{
    private readonly ITaskControl _control;

    /// <summary>Creates the service.</summary>
    public TaskAdminService(ITaskControl control)
    {
        _control = control ?? throw new ArgumentNullException(nameof(control));
    }

    /// <inheritdoc />
    public override async Task<ProtoTask> StartTask(StartTaskRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        if (request.MainPid < 0)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "main_pid must not be negative"));
        }

        var spec = new TaskStartSpec(
            request.Id, request.Agent, Optional(request.ParentId), Ttl(request.TtlSeconds),
            request.MainPid > 0 ? request.MainPid : null, request.KillOnExpiry, request.KeysNotExportable);
        return ToProto(await CallAsync(() => _control.StartAsync(spec, context.CancellationToken)));
    }

    /// <inheritdoc />
    public override async Task<ProtoTask> AdoptTask(AdoptTaskRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        if (request.Pid <= 0)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "pid is required"));
        }

        var spec = new TaskStartSpec(
            request.Id, request.Agent, Optional(request.ParentId), Ttl(request.TtlSeconds), request.Pid, request.KillOnExpiry,
            request.KeysNotExportable);
        return ToProto(await CallAsync(() => _control.StartAsync(spec, context.CancellationToken)));
    }

    /// <inheritdoc />
    public override async Task<ProtoTask> EndTask(EndTaskRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        if (request.Id.Length == 0)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "id is required"));
        }

        return ToProto(await CallAsync(() => _control.EndAsync(request.Id, request.Kill, context.CancellationToken)));
    }

    /// <inheritdoc />
    public override Task<ListTasksResponse> ListTasks(ListTasksRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        var response = new ListTasksResponse();
        response.Tasks.AddRange(_control.List()
            .Where(t => request.Agent.Length == 0 || t.Agent == request.Agent)
            .Select(t => ToProto(t)));
        return System.Threading.Tasks.Task.FromResult(response);
    }

    /// <inheritdoc />
    public override async Task WatchTasks(WatchTasksRequest request, IServerStreamWriter<ProtoTaskEvent> responseStream, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(responseStream);
        ArgumentNullException.ThrowIfNull(context);
        try
        {
            await foreach (var change in _control.WatchAsync(context.CancellationToken))
            {
                await responseStream.WriteAsync(
                    new ProtoTaskEvent
                    {
                        Kind = change.EndReason is null ? ProtoTaskEvent.Types.Kind.Started : ProtoTaskEvent.Types.Kind.Ended,
                        Task = ToProto(change),
                    },
                    context.CancellationToken);
            }
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            // The caller went away or the agent is stopping.
        }
    }

    /// <summary>Maps a task to the wire (running, or ended with <paramref name="endReason"/> at <paramref name="endedAt"/>).</summary>
    public static ProtoTask ToProto(TaskIdentity task, string? endReason = null, DateTimeOffset? endedAt = null)
    {
        ArgumentNullException.ThrowIfNull(task);
        return new ProtoTask
        {
            Id = task.TaskId,
            Agent = task.Agent,
            ParentId = task.ParentTaskId ?? string.Empty,
            Deadline = task.Deadline.ToUnixTimeSeconds(),
            Cgroup = task.Cgroup,
            MainPid = task.MainPid ?? 0,
            SpiffeId = task.SpiffeId.ToString(),
            EntryId = task.EntryId,
            KillOnExpiry = task.KillOnExpiry,
            State = endReason is null ? TaskState.Running : TaskState.Ended,
            EndReason = endReason ?? string.Empty,
            StartedAt = task.StartedAt.ToUnixTimeSeconds(),
            EndedAt = endedAt?.ToUnixTimeSeconds() ?? 0,
            KeysNotExportable = task.KeysNotExportable,
        };
    }

    private static ProtoTask ToProto(TaskChange change) =>
        ToProto(change.Task, change.EndReason, change.EndReason is null ? null : change.At);

    private static string? Optional(string value) => value.Length == 0 ? null : value;

    private static TimeSpan? Ttl(long seconds) => seconds switch
    {
        < 0 => throw new RpcException(new Status(StatusCode.InvalidArgument, $"ttl_seconds {seconds} must not be negative")),
        0 => null,
        _ => TimeSpan.FromSeconds(seconds),
    };

    private static async Task<T> CallAsync<T>(Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (TaskControlException ex)
        {
            var code = ex.Error switch
            {
                TaskControlError.InvalidArgument => StatusCode.InvalidArgument,
                TaskControlError.AlreadyExists => StatusCode.AlreadyExists,
                TaskControlError.NotFound => StatusCode.NotFound,
                TaskControlError.PermissionDenied => StatusCode.PermissionDenied,
                TaskControlError.FailedPrecondition => StatusCode.FailedPrecondition,
                TaskControlError.Unavailable => StatusCode.Unavailable,
                _ => StatusCode.Internal,
            };
            throw new RpcException(new Status(code, ex.Message));
        }
    }
}
