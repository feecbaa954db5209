using System.CommandLine;
using Grpc.Net.Client;
using Spiffe.Server.Cli.Input;
using Spiffe.Server.Cli.Output;
using EntryApi = Spiffe.Proto.Spire.Server.Entry.V1;

namespace Spiffe.Server.Cli.Commands;

/// <summary><c>entry delete</c>: deletes one entry by <c>-entryID</c>, or a batch listed in a <c>-file</c> (BatchDeleteEntry).</summary>
internal sealed class EntryDeleteCommand : AdminCommand
{
    private readonly StandardInput standardInput;

    private readonly Option<string> entryIdOption = new("-entryID", "--entryID") { Description = "The Registration Entry ID of the record to delete." };

    private readonly Option<string> fileOption = new("-file", "--file") { Description = "Path to a file containing a JSON structure for batch deletion (optional). If set to '-', read from stdin." };

    /// <summary>Creates the command.</summary>
    /// <param name="standardInput">Standard input, for <c>-file -</c>.</param>
    public EntryDeleteCommand(StandardInput standardInput)
        : base("delete", "Deletes registration entries")
    {
        ArgumentNullException.ThrowIfNull(standardInput);
        this.standardInput = standardInput;
        this.Options.Add(this.entryIdOption);
        this.Options.Add(this.fileOption);
    }

    /// <inheritdoc/>
    protected override async Task<int> RunAsync(ParseResult parseResult, GrpcChannel channel, CommandOutput output, CancellationToken cancellationToken)
    {
        var request = new EntryApi.BatchDeleteEntryRequest();
        var file = parseResult.GetValue(this.fileOption);
        if (file is { Length: > 0 })
        {
            request.Ids.AddRange(EntryDataParser.ParseIds(await InputFile.ReadAsync(file, this.standardInput, cancellationToken)));
        }
        else
        {
            var id = parseResult.GetValue(this.entryIdOption);
            request.Ids.Add(string.IsNullOrEmpty(id) ? throw new CliException("an entry ID is required") : id);
        }

        var response = await new EntryApi.Entry.EntryClient(channel).BatchDeleteEntryAsync(request, cancellationToken: cancellationToken);
        var failed = response.Results.Where(r => r.Status.Code != 0).ToList();
        if (output.IsJson)
        {
            output.WriteJson(response);
            EntryResultPrinter.ThrowIfAnyFailed("delete", failed.Count);
            return ExitCodes.Success;
        }

        var succeeded = response.Results.Where(r => r.Status.Code == 0).ToList();
        foreach (var result in succeeded)
        {
            await output.Out.WriteLineAsync("Deleted entry with ID: " + result.Id);
        }

        if (succeeded.Count > 0)
        {
            await output.Out.WriteAsync("\n\n");
        }

        foreach (var result in failed)
        {
            await output.Error.WriteLineAsync(
                $"Failed to delete entry with ID {result.Id} (code: {EntryResultPrinter.CodeName(result.Status.Code)}, msg: {GoQuote.Quote(result.Status.Message)})");
        }

        if (failed.Count > 0)
        {
            await output.Out.WriteAsync("\n\n");
            await output.Out.WriteLineAsync(succeeded.Count == 0
                ? $"Failed to delete {failed.Count} entries"
                : $"Deleted {succeeded.Count} entries successfully, but failed to delete {failed.Count} entries");
            EntryResultPrinter.ThrowIfAnyFailed("delete", failed.Count);
        }

        await output.Out.WriteLineAsync($"Deleted {succeeded.Count} entries successfully");
        return ExitCodes.Success;
    }
}
