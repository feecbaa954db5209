using System.CommandLine;
using System.Globalization;
using Grpc.Core;
using Spiffe.Proto.Agent.Task.V1;
using TasksClient = Spiffe.Proto.Agent.Task.V1.Tasks.TasksClient;

namespace Spiffe.Agent.Commands;

/// <summary><c>task list [-agent A]</c>: prints the active tasks, one per line.</summary>
internal sealed class TaskListCommand : AgentCommand
{
    private readonly AdminClientOptions _admin = new();
    private readonly Option<string?> _agent = new("-agent", "--agent") { Description = "Only the tasks of this agent" };

    /// <summary>Creates the command.</summary>
    public TaskListCommand()
        : base("list", "Lists the active tasks")
    {
        Options.Add(_agent);
        _admin.AddTo(this);
    }

    /// <inheritdoc />
    protected override async Task<int> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var output = parseResult.InvocationConfiguration.Output;
        try
        {
            using var channel = _admin.CreateChannel(parseResult);
            var response = await new TasksClient(channel).ListTasksAsync(
                new ListTasksRequest { Agent = parseResult.GetValue(_agent) ?? string.Empty }, cancellationToken: cancellationToken);
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"Found {response.Tasks.Count} task{(response.Tasks.Count == 1 ? string.Empty : "s")}"));
            foreach (var task in response.Tasks)
            {
                var deadline = DateTimeOffset.FromUnixTimeSeconds(task.Deadline).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
                await output.WriteLineAsync($"{task.Id}\t{task.Agent}\t{task.SpiffeId}\t{deadline}");
            }

            return ExitCodes.Success;
        }
        catch (RpcException ex)
        {
            await parseResult.InvocationConfiguration.Error.WriteLineAsync("Error: " + AdminClientOptions.Describe(ex));
            return ExitCodes.Failure;
        }
    }
}
