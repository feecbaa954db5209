namespace Spiffe.Core;

/// <summary>
/// Thrown when a JWT-SVID cannot be parsed, breaks a JWT-SVID rule, or fails validation; the message names the rule.
/// </summary>
public sealed class JwtSvidException : Exception
{
    /// <summary>Creates an exception with a default message.</summary>
    public JwtSvidException()
        : base("invalid JWT-SVID")
    {
    }

    /// <summary>Creates an exception with the given message.</summary>
    /// <param name="message">The rule that was broken.</param>
    public JwtSvidException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with the given message and cause.</summary>
    /// <param name="message">The rule that was broken.</param>
    /// <param name="innerException">The underlying error.</param>
    public JwtSvidException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
