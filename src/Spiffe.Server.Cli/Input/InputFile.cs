namespace Spiffe.Server.Cli.Input;

/// <summary>Reads a file named by a flag, where <c>-</c> (or no name, when allowed) means standard input.</summary>
internal static class InputFile
{
    /// <summary>Reads the named file or standard input.</summary>
    /// <param name="path">The path, or <c>-</c> for standard input.</param>
    /// <param name="standardInput">Standard input.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The text.</returns>
    /// <exception cref="CliException">The file cannot be read.</exception>
    public static async Task<string> ReadAsync(string path, StandardInput standardInput, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(standardInput);
        if (path == "-")
        {
            return await standardInput.ReadToEndAsync(cancellationToken);
        }

        try
        {
            return await File.ReadAllTextAsync(path, cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"open {path}: {ex.Message}", ex);
        }
    }
}
