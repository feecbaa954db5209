namespace Spiffe.Server.Cli.Input;

/// <summary>
/// A command cannot go on: a flag is missing or malformed, an input file is unreadable, or the server reported a
/// failure the command turns into its own message. The message is printed after <c>Error: </c> on stderr.
/// </summary>
internal sealed class CliException : Exception
{
    /// <summary>Creates an exception with a default message.</summary>
    public CliException()
        : base("the command failed")
    {
    }

    /// <summary>Creates an exception with the given message.</summary>
    /// <param name="message">What went wrong, lowercase, as spire-server words it.</param>
    public CliException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with the given message and cause.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The underlying error.</param>
    public CliException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
