using System.CommandLine;
using Grpc.Core;
using Spiffe.Proto.Agent.Task.V1;
using TasksClient = Spiffe.Proto.Agent.Task.V1.Tasks.TasksClient;

namespace Spiffe.Agent.Commands;

/// <summary><c>task show -id T</c>: prints one active task.</summary>
internal sealed class TaskShowCommand : AgentCommand
{
    private readonly AdminClientOptions _admin = new();
    private readonly Option<string> _id = new("-id", "--id") { Description = "The task ID", Required = true };

    /// <summary>Creates the command.</summary>
    public TaskShowCommand()
        : base("show", "Shows an active task")
    {
        Options.Add(_id);
        _admin.AddTo(this);
    }

    /// <inheritdoc />
    protected override async Task<int> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var error = parseResult.InvocationConfiguration.Error;
        var id = parseResult.GetValue(_id)!;
        try
        {
            using var channel = _admin.CreateChannel(parseResult);
            var response = await new TasksClient(channel).ListTasksAsync(new ListTasksRequest(), cancellationToken: cancellationToken);
            var task = response.Tasks.FirstOrDefault(t => t.Id == id);
            if (task is null)
            {
                await error.WriteLineAsync($"Error: task '{id}' is not active");
                return ExitCodes.Failure;
            }

            await TaskOutput.PrintAsync(parseResult.InvocationConfiguration.Output, task);
            return ExitCodes.Success;
        }
        catch (RpcException ex)
        {
            await error.WriteLineAsync("Error: " + AdminClientOptions.Describe(ex));
            return ExitCodes.Failure;
        }
    }
}
