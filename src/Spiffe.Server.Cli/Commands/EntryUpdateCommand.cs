using System.CommandLine;
using Grpc.Net.Client;
using Spiffe.Proto.Spire.Types;
using Spiffe.Server.Cli.Input;
using Spiffe.Server.Cli.Output;
using EntryApi = Spiffe.Proto.Spire.Server.Entry.V1;

namespace Spiffe.Server.Cli.Commands;

/// <summary>
/// <c>entry update</c>: replaces registration entries from flags or a <c>-data</c> document (BatchUpdateEntry). From
/// flags, the additional attributes change only when <c>-disableX509SVIDPrefetch</c> or <c>-jwtSVIDIncludeJTI</c> is given.
/// </summary>
internal sealed class EntryUpdateCommand : AdminCommand
{
    private readonly StandardInput standardInput;
    private readonly EntryFlags flags = new(forCreate: false);

    /// <summary>Creates the command.</summary>
    /// <param name="standardInput">Standard input, for <c>-data -</c>.</param>
    public EntryUpdateCommand(StandardInput standardInput)
        : base("update", "Updates registration entries")
    {
        ArgumentNullException.ThrowIfNull(standardInput);
        this.standardInput = standardInput;
        this.flags.AddTo(this);
    }

    /// <inheritdoc/>
    protected override async Task<int> RunAsync(ParseResult parseResult, GrpcChannel channel, CommandOutput output, CancellationToken cancellationToken)
    {
        var request = new EntryApi.BatchUpdateEntryRequest();
        var dataPath = parseResult.GetValue(this.flags.Data);
        if (dataPath is { Length: > 0 })
        {
            request.Entries.AddRange(EntryDataParser.ParseEntries(await InputFile.ReadAsync(dataPath, this.standardInput, cancellationToken)));
        }
        else
        {
            request.Entries.Add(this.FromFlags(parseResult));
            request.InputMask = AllFieldsMask(parseResult.GetValue(this.flags.DisableX509SvidPrefetch) || parseResult.GetValue(this.flags.JwtSvidIncludeJti));
        }

        var client = new EntryApi.Entry.EntryClient(channel);
        if (request.InputMask is { AdditionalAttributes: true })
        {
            var existing = await client.GetEntryAsync(new EntryApi.GetEntryRequest { Id = request.Entries[0].Id }, cancellationToken: cancellationToken);
            this.MergeAdditionalAttributes(parseResult, request.Entries[0], existing);
        }

        var response = await client.BatchUpdateEntryAsync(request, cancellationToken: cancellationToken);
        for (var i = 0; i < response.Results.Count; i++)
        {
            if (response.Results[i].Status.Code != 0)
            {
                response.Results[i].Entry = request.Entries[i];
            }
        }

        if (output.IsJson)
        {
            output.WriteJson(response);
            EntryResultPrinter.ThrowIfAnyFailed("update", response.Results.Count(r => r.Status.Code != 0));
            return ExitCodes.Success;
        }

        EntryResultPrinter.Print(output, "update", response.Results.Select(r => (r.Status, r.Entry)).ToList());
        return ExitCodes.Success;
    }

    private static EntryMask AllFieldsMask(bool additionalAttributes) => new()
    {
        SpiffeId = true,
        ParentId = true,
        Selectors = true,
        X509SvidTtl = true,
        FederatesWith = true,
        Admin = true,
        Downstream = true,
        ExpiresAt = true,
        DnsNames = true,
        StoreSvid = true,
        JwtSvidTtl = true,
        Hint = true,
        AdditionalAttributes = additionalAttributes,
    };

    private Entry FromFlags(ParseResult parseResult)
    {
        var selectors = parseResult.GetValue(this.flags.Selectors) ?? [];
        var parentId = parseResult.GetValue(this.flags.ParentId);
        var spiffeId = parseResult.GetValue(this.flags.SpiffeId);
        if (string.IsNullOrEmpty(parseResult.GetValue(this.flags.EntryId)))
        {
            throw new CliException("entry ID is required");
        }

        if (selectors.Length < 1)
        {
            throw new CliException("at least one selector is required");
        }

        if (string.IsNullOrEmpty(parentId))
        {
            throw new CliException("a parent ID is required");
        }

        if (string.IsNullOrEmpty(spiffeId))
        {
            throw new CliException("a SPIFFE ID is required");
        }

        var entry = this.flags.BuildEntry(parseResult, spiffeId, selectors, parseResult.GetValue(this.flags.FederatesWith) ?? []);
        entry.ParentId = IdParser.ToProto(parentId);
        entry.StoreSvid = parseResult.GetValue(this.flags.StoreSvid);
        return entry;
    }

    private void MergeAdditionalAttributes(ParseResult parseResult, Entry entry, Entry existing)
    {
        var merged = existing.AdditionalAttributes?.Clone() ?? new Entry.Types.AdditionalAttributes();
        if (parseResult.GetValue(this.flags.DisableX509SvidPrefetch))
        {
            merged.DisableX509SvidPrefetch = true;
        }

        if (parseResult.GetValue(this.flags.JwtSvidIncludeJti))
        {
            merged.JwtSvidIncludeJti = true;
        }

        entry.AdditionalAttributes = merged;
    }
}
