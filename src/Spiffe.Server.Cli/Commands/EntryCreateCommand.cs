using System.CommandLine;
using Grpc.Net.Client;
using Spiffe.Proto.Spire.Types;
using Spiffe.Server.Cli.Input;
using Spiffe.Server.Cli.Output;
using EntryApi = Spiffe.Proto.Spire.Server.Entry.V1;

namespace Spiffe.Server.Cli.Commands;

/// <summary><c>entry create</c>: creates registration entries from flags or a <c>-data</c> document (BatchCreateEntry).</summary>
internal sealed class EntryCreateCommand : AdminCommand
{
    private readonly StandardInput standardInput;
    private readonly EntryFlags flags = new(forCreate: true);

    /// <summary>Creates the command.</summary>
    /// <param name="standardInput">Standard input, for <c>-data -</c>.</param>
    public EntryCreateCommand(StandardInput standardInput)
        : base("create", "Creates registration entries")
    {
        ArgumentNullException.ThrowIfNull(standardInput);
        this.standardInput = standardInput;
        this.flags.AddTo(this);
    }

    /// <inheritdoc/>
    protected override async Task<int> RunAsync(ParseResult parseResult, GrpcChannel channel, CommandOutput output, CancellationToken cancellationToken)
    {
        var dataPath = parseResult.GetValue(this.flags.Data);
        var entries = dataPath is { Length: > 0 }
            ? EntryDataParser.ParseEntries(await InputFile.ReadAsync(dataPath, this.standardInput, cancellationToken))
            : [this.FromFlags(parseResult)];

        var request = new EntryApi.BatchCreateEntryRequest();
        request.Entries.AddRange(entries);
        var response = await new EntryApi.Entry.EntryClient(channel).BatchCreateEntryAsync(request, cancellationToken: cancellationToken);
        for (var i = 0; i < response.Results.Count; i++)
        {
            if (response.Results[i].Status.Code != 0)
            {
                response.Results[i].Entry = entries[i];
            }
        }

        if (output.IsJson)
        {
            output.WriteJson(response);
            EntryResultPrinter.ThrowIfAnyFailed("create", response.Results.Count(r => r.Status.Code != 0));
            return ExitCodes.Success;
        }

        EntryResultPrinter.Print(output, "create", response.Results.Select(r => (r.Status, r.Entry)).ToList());
        return ExitCodes.Success;
    }

    private Entry FromFlags(ParseResult parseResult)
    {
        var selectors = parseResult.GetValue(this.flags.Selectors) ?? [];
        var federatesWith = parseResult.GetValue(this.flags.FederatesWith) ?? [];
        var node = parseResult.GetValue(this.flags.Node!);
        var parentId = parseResult.GetValue(this.flags.ParentId);
        var spiffeId = parseResult.GetValue(this.flags.SpiffeId);
        if (selectors.Length < 1)
        {
            throw new CliException("at least one selector is required");
        }

        if (node && federatesWith.Length > 0)
        {
            throw new CliException("node entries can not federate");
        }

        if (string.IsNullOrEmpty(parentId) && !node)
        {
            throw new CliException("a parent ID is required if the node flag is not set");
        }

        if (string.IsNullOrEmpty(spiffeId))
        {
            throw new CliException("a SPIFFE ID is required");
        }

        var entry = this.flags.BuildEntry(parseResult, spiffeId, selectors, federatesWith);
        entry.ParentId = node
            ? new SPIFFEID { TrustDomain = entry.SpiffeId.TrustDomain, Path = "/spire/server" }
            : IdParser.ToProto(parentId!);
        entry.StoreSvid = parseResult.GetValue(this.flags.StoreSvid);
        if (parseResult.GetValue(this.flags.DisableX509SvidPrefetch) || parseResult.GetValue(this.flags.JwtSvidIncludeJti))
        {
            entry.AdditionalAttributes = new Entry.Types.AdditionalAttributes
            {
                DisableX509SvidPrefetch = parseResult.GetValue(this.flags.DisableX509SvidPrefetch),
                JwtSvidIncludeJti = parseResult.GetValue(this.flags.JwtSvidIncludeJti),
            };
        }

        return entry;
    }
}
