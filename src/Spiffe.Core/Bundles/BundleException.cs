namespace Spiffe.Core;

/// <summary>
/// Thrown when an X.509, JWT or SPIFFE bundle cannot be parsed or breaks a bundle rule; the message names the rule.
/// </summary>
public sealed class BundleException : Exception
{
    /// <summary>Creates an exception with a default message.</summary>
    public BundleException()
        : base("invalid bundle")
    {
    }

    /// <summary>Creates an exception with the given message.</summary>
    /// <param name="message">The rule that was broken.</param>
    public BundleException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with the given message and cause.</summary>
    /// <param name="message">The rule that was broken.</param>
    /// <param name="innerException">The underlying error.</param>
    public BundleException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
