namespace Spiffe.Core;

/// <summary>
/// Thrown when a WIT-SVID cannot be parsed, breaks a WIT-SVID rule, or fails validation; the message names the rule.
/// </summary>
public sealed class WitSvidException : Exception
{
    /// <summary>Creates an exception with a default message.</summary>
    public WitSvidException()
        : base("invalid WIT-SVID")
    {
    }

    /// <summary>Creates an exception with the given message.</summary>
    /// <param name="message">The rule that was broken.</param>
    public WitSvidException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with the given message and cause.</summary>
    /// <param name="message">The rule that was broken.</param>
    /// <param name="innerException">The underlying error.</param>
    public WitSvidException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
