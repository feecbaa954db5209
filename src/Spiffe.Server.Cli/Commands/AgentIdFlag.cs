using System.CommandLine;
using Spiffe.Proto.Spire.Types;
using Spiffe.Server.Cli.Input;

namespace Spiffe.Server.Cli.Commands;

/// <summary>The <c>-spiffeID</c> flag of <c>agent show|evict|ban</c>: the agent's SPIFFE ID, required.</summary>
internal sealed class AgentIdFlag
{
    /// <summary>Creates the flag.</summary>
    /// <param name="verb">What the command does to the agent, for the help text.</param>
    public AgentIdFlag(string verb)
    {
        this.Option = new("-spiffeID", "--spiffeID") { Description = $"The SPIFFE ID of the agent to {verb} (agent identity)" };
    }

    /// <summary>The option.</summary>
    public Option<string> Option { get; }

    /// <summary>Reads and parses the flag.</summary>
    /// <param name="parseResult">The parsed command line.</param>
    /// <returns>The agent ID.</returns>
    /// <exception cref="CliException">The flag is missing or not a SPIFFE ID.</exception>
    public SPIFFEID Read(ParseResult parseResult)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        var text = parseResult.GetValue(this.Option);
        return string.IsNullOrEmpty(text) ? throw new CliException("a SPIFFE ID is required") : IdParser.ToProto(text);
    }
}
