using System.CommandLine;
using Grpc.Core;
using Grpc.Net.Client;
using Spiffe.Proto.Spire.Types;
using Spiffe.Server.Cli.Input;
using Spiffe.Server.Cli.Output;
using EntryApi = Spiffe.Proto.Spire.Server.Entry.V1;

namespace Spiffe.Server.Cli.Commands;

/// <summary><c>entry show</c>: prints one entry by <c>-entryID</c> (GetEntry) or every entry passing the filters (ListEntries, all pages).</summary>
internal sealed class EntryShowCommand : AdminCommand
{
    private const int PageSize = 500;

    private readonly EntryFilterFlags filters = new();

    private readonly Option<string> entryIdOption = new("-entryID", "--entryID") { Description = "The Entry ID of the records to show" };

    /// <summary>Creates the command.</summary>
    public EntryShowCommand()
        : base("show", "Displays configured registration entries")
    {
        this.Options.Add(this.entryIdOption);
        this.filters.AddTo(this);
    }

    /// <inheritdoc/>
    protected override async Task<int> RunAsync(ParseResult parseResult, GrpcChannel channel, CommandOutput output, CancellationToken cancellationToken)
    {
        var client = new EntryApi.Entry.EntryClient(channel);
        var response = new EntryApi.ListEntriesResponse();
        var entryId = parseResult.GetValue(this.entryIdOption);
        if (entryId is { Length: > 0 })
        {
            if (parseResult.GetValue(this.filters.ParentId) is { Length: > 0 }
                || parseResult.GetValue(this.filters.SpiffeId) is { Length: > 0 }
                || parseResult.GetValue(this.filters.Selectors) is { Length: > 0 })
            {
                throw new CliException("the -entryID flag can't be combined with others");
            }

            response.Entries.Add(await FetchByIdAsync(client, entryId, cancellationToken));
        }
        else
        {
            var filter = this.filters.BuildFilter(parseResult);
            var pageToken = string.Empty;
            do
            {
                var page = await client.ListEntriesAsync(
                    new EntryApi.ListEntriesRequest { Filter = filter, PageSize = PageSize, PageToken = pageToken },
                    cancellationToken: cancellationToken);
                response.Entries.AddRange(page.Entries);
                pageToken = page.NextPageToken;
            }
            while (pageToken.Length > 0);
        }

        var sorted = response.Entries.ToList();
        EntryOrder.Sort(sorted);
        response.Entries.Clear();
        response.Entries.AddRange(sorted);
        if (output.IsJson)
        {
            output.WriteJson(response);
        }
        else
        {
            EntryPrinter.PrintFound(output.Out, sorted);
        }

        return ExitCodes.Success;
    }

    private static async Task<Entry> FetchByIdAsync(EntryApi.Entry.EntryClient client, string id, CancellationToken cancellationToken)
    {
        try
        {
            return await client.GetEntryAsync(new EntryApi.GetEntryRequest { Id = id }, cancellationToken: cancellationToken);
        }
        catch (RpcException ex)
        {
            throw new CliException($"error fetching entry ID {id}: {Describe(ex)}", ex);
        }
    }
}
