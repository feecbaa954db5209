using System.CommandLine;
using Grpc.Net.Client;
using Spiffe.Server.Cli.Output;
using AgentApi = Spiffe.Proto.Spire.Server.Agent.V1;

namespace Spiffe.Server.Cli.Commands;

/// <summary><c>agent show</c>: prints one attested agent and its node selectors (GetAgent).</summary>
internal sealed class AgentShowCommand : AdminCommand
{
    private readonly AgentIdFlag agentId = new("show");

    /// <summary>Creates the command.</summary>
    public AgentShowCommand()
        : base("show", "Shows the details of an attested agent given its SPIFFE ID")
    {
        this.Options.Add(this.agentId.Option);
    }

    /// <inheritdoc/>
    protected override async Task<int> RunAsync(ParseResult parseResult, GrpcChannel channel, CommandOutput output, CancellationToken cancellationToken)
    {
        var id = this.agentId.Read(parseResult);
        var agent = await new AgentApi.Agent.AgentClient(channel).GetAgentAsync(new AgentApi.GetAgentRequest { Id = id }, cancellationToken: cancellationToken);
        if (output.IsJson)
        {
            output.WriteJson(agent);
            return ExitCodes.Success;
        }

        await output.Out.WriteLineAsync("Found an attested agent given its SPIFFE ID");
        await output.Out.WriteLineAsync();
        AgentPrinter.Print(output.Out, agent);
        AgentPrinter.PrintSelectors(output.Out, agent);
        return ExitCodes.Success;
    }
}
