namespace Spiffe.Core;

/// <summary>
/// Thrown when an X509-SVID cannot be parsed, breaks an X509-SVID rule, or fails verification; the message names
/// the rule or the verification failure.
/// </summary>
public sealed class X509SvidException : Exception
{
    /// <summary>Creates an exception with a default message.</summary>
    public X509SvidException()
        : base("invalid X509-SVID")
    {
    }

    /// <summary>Creates an exception with the given message.</summary>
    /// <param name="message">The rule that was broken.</param>
    public X509SvidException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with the given message and cause.</summary>
    /// <param name="message">The rule that was broken.</param>
    /// <param name="innerException">The underlying error.</param>
    public X509SvidException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
