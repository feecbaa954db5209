using System.CommandLine;
using Grpc.Net.Client;
using Spiffe.Server.Cli.Output;
using AgentApi = Spiffe.Proto.Spire.Server.Agent.V1;

namespace Spiffe.Server.Cli.Commands;

/// <summary><c>agent ban</c>: bans an attested agent; it is refused until evicted (BanAgent).</summary>
internal sealed class AgentBanCommand : AdminCommand
{
    private readonly AgentIdFlag agentId = new("ban");

    /// <summary>Creates the command.</summary>
    public AgentBanCommand()
        : base("ban", "Ban an attested agent given its SPIFFE ID")
    {
        this.Options.Add(this.agentId.Option);
    }

    /// <inheritdoc/>
    protected override async Task<int> RunAsync(ParseResult parseResult, GrpcChannel channel, CommandOutput output, CancellationToken cancellationToken)
    {
        var id = this.agentId.Read(parseResult);
        var response = await new AgentApi.Agent.AgentClient(channel).BanAgentAsync(new AgentApi.BanAgentRequest { Id = id }, cancellationToken: cancellationToken);
        if (output.IsJson)
        {
            output.WriteJson(response);
        }
        else
        {
            await output.Out.WriteLineAsync("Agent banned successfully");
        }

        return ExitCodes.Success;
    }
}
