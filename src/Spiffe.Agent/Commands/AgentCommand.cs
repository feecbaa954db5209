using System.CommandLine;

namespace Spiffe.Agent.Commands;

/// <summary>Base of every <c>spiffe-agent</c> verb: wires the System.CommandLine action to <see cref="ExecuteAsync"/>.</summary>
internal abstract class AgentCommand : Command
{
    /// <summary>Creates the command.</summary>
    protected AgentCommand(string name, string description)
        : base(name, description)
    {
        SetAction(ExecuteAsync);
    }

    /// <summary>Runs the verb and returns its exit code (<see cref="ExitCodes"/>).</summary>
    protected abstract Task<int> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken);
}
