using System.CommandLine;
using Grpc.Core;
using TaskLauncher = Spiffe.Agent.Tasks.TaskLauncher;
using Spiffe.Agent.Tasks.Linux;
using Spiffe.Configuration;
using Spiffe.Proto.Agent.Task.V1;
using TasksClient = Spiffe.Proto.Agent.Task.V1.Tasks.TasksClient;

namespace Spiffe.Agent.Commands;

/// <summary>
/// <c>task run -agent A [-id T] [-ttl 15m] [-parent P] [-kill-on-expiry] [-keysNotExportable] -- command…</c>: runs the
/// command as the main process of a new task. The command starts stopped, the agent moves it into the task's cgroup
/// (StartTask with its PID), then it runs; its exit code is returned and the task is ended. The command never runs
/// outside the task: if the start is refused it is killed.
/// </summary>
internal sealed class TaskRunCommand : AgentCommand
{
    private readonly AdminClientOptions _admin = new();
    private readonly Option<string> _agent = new("-agent", "--agent") { Description = "The agent the task runs for", Required = true };
    private readonly Option<string?> _id = new("-id", "--id") { Description = "The task ID (default: random)" };
    private readonly Option<string?> _parent = new("-parent", "--parent") { Description = "The parent task, which the task may not outlive" };
    private readonly Option<bool> _killOnExpiry = new("-kill-on-expiry", "--kill-on-expiry") { Description = "Kill the task's processes at the deadline" };
    private readonly Option<bool> _keysNotExportable = new("-keysNotExportable", "--keysNotExportable") { Description = "Keep the task's WIT-SVID keys inside the agent" };
    private readonly Option<TimeSpan?> _ttl = new("-ttl", "--ttl")
    {
        Description = "The task's lifetime, e.g. 15m (default: the agent's default_ttl)",
        CustomParser = result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
            if (GoDuration.TryParse(text, out var value) && value > TimeSpan.Zero)
            {
                return value;
            }

            result.AddError($"invalid -ttl \"{text}\": expected a positive duration such as 15m");
            return null;
        },
    };

    private readonly Argument<string[]> _command = new("command") { Description = "The command and its arguments (after --)", Arity = ArgumentArity.OneOrMore };
    private readonly TimeProvider _timeProvider;

    /// <summary>Creates the command.</summary>
    public TaskRunCommand(TimeProvider timeProvider)
        : base("run", "Runs a command as the main process of a new task")
    {
        _timeProvider = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        Options.Add(_agent);
        Options.Add(_id);
        Options.Add(_ttl);
        Options.Add(_parent);
        Options.Add(_killOnExpiry);
        Options.Add(_keysNotExportable);
        _admin.AddTo(this);
        Arguments.Add(_command);
    }

    /// <inheritdoc />
    protected override async Task<int> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var error = parseResult.InvocationConfiguration.Error;
        using var channel = _admin.CreateChannel(parseResult);
        var client = new TasksClient(channel);
        var request = new StartTaskRequest
        {
            Id = parseResult.GetValue(_id) ?? string.Empty,
            Agent = parseResult.GetValue(_agent)!,
            ParentId = parseResult.GetValue(_parent) ?? string.Empty,
            TtlSeconds = (long)(parseResult.GetValue(_ttl)?.TotalSeconds ?? 0),
            KillOnExpiry = parseResult.GetValue(_killOnExpiry),
            KeysNotExportable = parseResult.GetValue(_keysNotExportable),
        };
        string? taskId = null;
        var launcher = new TaskLauncher(new ProcFs("/proc"), _timeProvider);
        try
        {
            return await launcher.RunAsync(
                parseResult.GetValue(_command)!,
                async (pid, token) =>
                {
                    request.MainPid = pid;
                    var task = await client.StartTaskAsync(request, cancellationToken: token);
                    taskId = task.Id;
                    await error.WriteLineAsync($"Task {task.Id} started as {task.SpiffeId} (deadline {DateTimeOffset.FromUnixTimeSeconds(task.Deadline):u})");
                },
                cancellationToken);
        }
        catch (RpcException ex)
        {
            await error.WriteLineAsync("Error: " + AdminClientOptions.Describe(ex));
            return ExitCodes.Failure;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return ExitCodes.Failure;
        }
        finally
        {
            if (taskId is not null)
            {
                await EndAsync(client, taskId);
            }
        }
    }

    private static async System.Threading.Tasks.Task EndAsync(TasksClient client, string taskId)
    {
        try
        {
            await client.EndTaskAsync(new EndTaskRequest { Id = taskId });
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.NotFound)
        {
            // The task already ended with its main process.
        }
    }
}
