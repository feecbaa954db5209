namespace Spiffe.Server.Cli.Input;

/// <summary>Standard input, for <c>-data -</c> and <c>bundle set</c> without <c>-path</c>; tests substitute a reader.</summary>
internal sealed class StandardInput
{
    private readonly Func<TextReader> open;

    /// <summary>Creates the source.</summary>
    /// <param name="open">Returns the reader to read standard input from.</param>
    public StandardInput(Func<TextReader> open)
    {
        ArgumentNullException.ThrowIfNull(open);
        this.open = open;
    }

    /// <summary>Reads the input to its end.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The text.</returns>
    public Task<string> ReadToEndAsync(CancellationToken cancellationToken) => this.open().ReadToEndAsync(cancellationToken);
}
