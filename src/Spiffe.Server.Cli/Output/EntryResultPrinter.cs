using Grpc.Core;
using Spiffe.Proto.Spire.Types;
using Spiffe.Server.Cli.Input;

namespace Spiffe.Server.Cli.Output;

/// <summary>
/// Prints the per-item results of <c>entry create|update</c> as spire-server does: succeeded entries on stdout, then
/// each failure on stderr as <c>Failed to create the following entry (code: …, msg: "…"):</c> plus the entry.
/// </summary>
internal static class EntryResultPrinter
{
    /// <summary>Prints the results; throws when any item failed so the command exits non-zero.</summary>
    /// <param name="output">Where to print.</param>
    /// <param name="verb"><c>create</c> or <c>update</c>.</param>
    /// <param name="results">Status and entry of each item, in request order.</param>
    /// <exception cref="CliException">At least one item failed.</exception>
    public static void Print(CommandOutput output, string verb, IReadOnlyList<(Spiffe.Proto.Spire.Types.Status Status, Entry Entry)> results)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(results);
        var failed = results.Where(r => r.Status.Code != (int)StatusCode.OK).ToList();
        foreach (var (_, entry) in results.Where(r => r.Status.Code == (int)StatusCode.OK))
        {
            EntryPrinter.Print(output.Out, entry);
        }

        foreach (var (status, entry) in failed)
        {
            output.Error.WriteLine($"Failed to {verb} the following entry (code: {CodeName(status.Code)}, msg: {GoQuote.Quote(status.Message)}):");
            EntryPrinter.Print(output.Error, entry);
        }

        ThrowIfAnyFailed(verb, failed.Count);
    }

    /// <summary>Throws when any item of a batch failed.</summary>
    /// <param name="verb"><c>create</c>, <c>update</c> or <c>delete</c>.</param>
    /// <param name="failedCount">How many items failed.</param>
    /// <exception cref="CliException"><paramref name="failedCount"/> is not zero.</exception>
    public static void ThrowIfAnyFailed(string verb, int failedCount)
    {
        if (failedCount > 0)
        {
            throw new CliException($"failed to {verb} one or more entries");
        }
    }

    /// <summary>The name of a gRPC status code, as Go prints <c>codes.Code</c>.</summary>
    /// <param name="code">The numeric code.</param>
    /// <returns>The name, e.g. <c>AlreadyExists</c>.</returns>
    public static string CodeName(int code) => ((StatusCode)code).ToString();
}
