using System.CommandLine;
using Grpc.Net.Client;
using Spiffe.Server.Cli.Output;
using AgentApi = Spiffe.Proto.Spire.Server.Agent.V1;

namespace Spiffe.Server.Cli.Commands;

/// <summary><c>agent evict</c>: forgets an attested agent so it must attest again (DeleteAgent).</summary>
internal sealed class AgentEvictCommand : AdminCommand
{
    private readonly AgentIdFlag agentId = new("evict");

    /// <summary>Creates the command.</summary>
    public AgentEvictCommand()
        : base("evict", "Evicts an attested agent given its SPIFFE ID")
    {
        this.Options.Add(this.agentId.Option);
    }

    /// <inheritdoc/>
    protected override async Task<int> RunAsync(ParseResult parseResult, GrpcChannel channel, CommandOutput output, CancellationToken cancellationToken)
    {
        var id = this.agentId.Read(parseResult);
        var response = await new AgentApi.Agent.AgentClient(channel).DeleteAgentAsync(new AgentApi.DeleteAgentRequest { Id = id }, cancellationToken: cancellationToken);
        if (output.IsJson)
        {
            output.WriteJson(response);
        }
        else
        {
            await output.Out.WriteLineAsync("Agent evicted successfully");
        }

        return ExitCodes.Success;
    }
}
