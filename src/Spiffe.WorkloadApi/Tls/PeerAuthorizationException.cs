namespace Spiffe.WorkloadApi;

/// <summary>Thrown by an <see cref="Authorizer"/> that refuses a peer; the message says why.</summary>
public sealed class PeerAuthorizationException : Exception
{
    /// <summary>Creates an exception with a default message.</summary>
    public PeerAuthorizationException()
        : base("peer is not authorized")
    {
    }

    /// <summary>Creates an exception with the given message.</summary>
    /// <param name="message">Why the peer is refused.</param>
    public PeerAuthorizationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with the given message and cause.</summary>
    /// <param name="message">Why the peer is refused.</param>
    /// <param name="innerException">The underlying error.</param>
    public PeerAuthorizationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
