using System.CommandLine;
using Grpc.Net.Client;
using Spiffe.Server.Cli.Output;
using AgentApi = Spiffe.Proto.Spire.Server.Agent.V1;

namespace Spiffe.Server.Cli.Commands;

/// <summary><c>agent count</c>: counts attested agents passing the filters (CountAgents).</summary>
internal sealed class AgentCountCommand : AdminCommand
{
    private readonly AgentFilterFlags filters = new();

    /// <summary>Creates the command.</summary>
    public AgentCountCommand()
        : base("count", "Count attested agents")
    {
        this.filters.AddTo(this);
    }

    /// <inheritdoc/>
    protected override async Task<int> RunAsync(ParseResult parseResult, GrpcChannel channel, CommandOutput output, CancellationToken cancellationToken)
    {
        var listFilter = this.filters.BuildFilter(parseResult);
        var filter = new AgentApi.CountAgentsRequest.Types.Filter
        {
            ByAttestationType = listFilter.ByAttestationType,
            BySelectorMatch = listFilter.BySelectorMatch,
            ByBanned = listFilter.ByBanned,
            ByCanReattest = listFilter.ByCanReattest,
            ByExpiresBefore = listFilter.ByExpiresBefore,
        };
        var response = await new AgentApi.Agent.AgentClient(channel).CountAgentsAsync(
            new AgentApi.CountAgentsRequest { Filter = filter }, cancellationToken: cancellationToken);
        if (output.IsJson)
        {
            output.WriteJson(response);
        }
        else
        {
            await output.Out.WriteLineAsync($"{response.Count} attested {(response.Count == 1 ? "agent" : "agents")}");
        }

        return ExitCodes.Success;
    }
}
