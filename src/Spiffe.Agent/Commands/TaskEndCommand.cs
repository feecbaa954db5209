using System.CommandLine;
using Grpc.Core;
using Spiffe.Proto.Agent.Task.V1;
using TasksClient = Spiffe.Proto.Agent.Task.V1.Tasks.TasksClient;

namespace Spiffe.Agent.Commands;

/// <summary><c>task end -id T [-kill]</c>: ends a task now (its credentials are revoked, its entry deleted).</summary>
internal sealed class TaskEndCommand : AgentCommand
{
    private readonly AdminClientOptions _admin = new();
    private readonly Option<string> _id = new("-id", "--id") { Description = "The task ID", Required = true };
    private readonly Option<bool> _kill = new("-kill", "--kill") { Description = "Also kill every process of the task" };

    /// <summary>Creates the command.</summary>
    public TaskEndCommand()
        : base("end", "Ends a task and revokes its credentials")
    {
        Options.Add(_id);
        Options.Add(_kill);
        _admin.AddTo(this);
    }

    /// <inheritdoc />
    protected override async Task<int> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        try
        {
            using var channel = _admin.CreateChannel(parseResult);
            var task = await new TasksClient(channel).EndTaskAsync(
                new EndTaskRequest { Id = parseResult.GetValue(_id)!, Kill = parseResult.GetValue(_kill) }, cancellationToken: cancellationToken);
            await TaskOutput.PrintAsync(parseResult.InvocationConfiguration.Output, task);
            return ExitCodes.Success;
        }
        catch (RpcException ex)
        {
            await parseResult.InvocationConfiguration.Error.WriteLineAsync("Error: " + AdminClientOptions.Describe(ex));
            return ExitCodes.Failure;
        }
    }
}
