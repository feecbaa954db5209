namespace Spiffe.Server.AdminApi;

/// <summary>
/// A request field breaks a rule; the admin API answers <c>InvalidArgument</c> (for the call, or for one batch item)
/// with the message, which names the field, and changes nothing.
/// </summary>
internal sealed class AdminValidationException : Exception
{
    /// <summary>Creates an exception with a default message.</summary>
    public AdminValidationException()
        : base("invalid request")
    {
    }

    /// <summary>Creates an exception with the given message.</summary>
    /// <param name="message">What is wrong, naming the field.</param>
    public AdminValidationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with the given message and cause.</summary>
    /// <param name="message">What is wrong, naming the field.</param>
    /// <param name="innerException">The underlying parse error.</param>
    public AdminValidationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
