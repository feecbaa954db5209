namespace Spiffe.Core;

/// <summary>
/// Thrown by a bundle source that holds no bundle for the requested trust domain. An SVID from a trust domain
/// without a bundle is untrusted.
/// </summary>
public sealed class BundleNotFoundException : KeyNotFoundException
{
    /// <summary>Creates an exception with a default message.</summary>
    public BundleNotFoundException()
        : base("no bundle for the trust domain")
    {
    }

    /// <summary>Creates an exception with the given message.</summary>
    /// <param name="message">What was looked up.</param>
    public BundleNotFoundException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with the given message and cause.</summary>
    /// <param name="message">What was looked up.</param>
    /// <param name="innerException">The underlying error.</param>
    public BundleNotFoundException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
