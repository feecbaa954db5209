using System.CommandLine;
using Grpc.Net.Client;
using Spiffe.Server.Cli.Output;
using EntryApi = Spiffe.Proto.Spire.Server.Entry.V1;

namespace Spiffe.Server.Cli.Commands;

/// <summary><c>entry count</c>: counts the entries passing the filters (CountEntries).</summary>
internal sealed class EntryCountCommand : AdminCommand
{
    private readonly EntryFilterFlags filters = new();

    /// <summary>Creates the command.</summary>
    public EntryCountCommand()
        : base("count", "Count registration entries")
    {
        this.filters.AddTo(this);
    }

    /// <inheritdoc/>
    protected override async Task<int> RunAsync(ParseResult parseResult, GrpcChannel channel, CommandOutput output, CancellationToken cancellationToken)
    {
        var listFilter = this.filters.BuildFilter(parseResult);
        var filter = new EntryApi.CountEntriesRequest.Types.Filter
        {
            BySpiffeId = listFilter.BySpiffeId,
            ByParentId = listFilter.ByParentId,
            BySelectors = listFilter.BySelectors,
            ByFederatesWith = listFilter.ByFederatesWith,
            ByHint = listFilter.ByHint,
            ByDownstream = listFilter.ByDownstream,
        };
        var response = await new EntryApi.Entry.EntryClient(channel).CountEntriesAsync(
            new EntryApi.CountEntriesRequest { Filter = filter }, cancellationToken: cancellationToken);
        if (output.IsJson)
        {
            output.WriteJson(response);
        }
        else
        {
            await output.Out.WriteLineAsync($"{response.Count} registration {(response.Count == 1 ? "entry" : "entries")}");
        }

        return ExitCodes.Success;
    }
}
