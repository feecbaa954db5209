using System.CommandLine;
using Grpc.Net.Client;
using Spiffe.Server.Cli.Output;
using AgentApi = Spiffe.Proto.Spire.Server.Agent.V1;

namespace Spiffe.Server.Cli.Commands;

/// <summary><c>agent list</c>: lists attested agents passing the filters (ListAgents, all pages).</summary>
internal sealed class AgentListCommand : AdminCommand
{
    private const int PageSize = 1000;

    private readonly AgentFilterFlags filters = new();

    /// <summary>Creates the command.</summary>
    public AgentListCommand()
        : base("list", "Lists attested agents and their SPIFFE IDs")
    {
        this.filters.AddTo(this);
    }

    /// <inheritdoc/>
    protected override async Task<int> RunAsync(ParseResult parseResult, GrpcChannel channel, CommandOutput output, CancellationToken cancellationToken)
    {
        var filter = this.filters.BuildFilter(parseResult);
        var client = new AgentApi.Agent.AgentClient(channel);
        var response = new AgentApi.ListAgentsResponse();
        var pageToken = string.Empty;
        do
        {
            var page = await client.ListAgentsAsync(
                new AgentApi.ListAgentsRequest { Filter = filter, PageSize = PageSize, PageToken = pageToken },
                cancellationToken: cancellationToken);
            response.Agents.AddRange(page.Agents);
            pageToken = page.NextPageToken;
        }
        while (pageToken.Length > 0);

        if (output.IsJson)
        {
            output.WriteJson(response);
            return ExitCodes.Success;
        }

        if (response.Agents.Count == 0)
        {
            await output.Out.WriteLineAsync("No attested agents found");
            return ExitCodes.Success;
        }

        await output.Out.WriteLineAsync($"Found {response.Agents.Count} attested {(response.Agents.Count == 1 ? "agent" : "agents")}:");
        await output.Out.WriteLineAsync();
        foreach (var agent in response.Agents)
        {
            AgentPrinter.Print(output.Out, agent);
        }

        return ExitCodes.Success;
    }
}
