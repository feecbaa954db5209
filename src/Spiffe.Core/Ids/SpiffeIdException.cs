namespace Spiffe.Core;

/// <summary>
/// Thrown when a string is not a valid SPIFFE ID, trust domain name or path. The message names the
/// grammar rule that was broken.
/// </summary>
public sealed class SpiffeIdException : FormatException
{
    /// <summary>Creates an exception with a default message.</summary>
    public SpiffeIdException()
        : base("invalid SPIFFE ID")
    {
    }

    /// <summary>Creates an exception with the given message.</summary>
    /// <param name="message">The rule that was broken.</param>
    public SpiffeIdException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with the given message and cause.</summary>
    /// <param name="message">The rule that was broken.</param>
    /// <param name="innerException">The underlying error.</param>
    public SpiffeIdException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
