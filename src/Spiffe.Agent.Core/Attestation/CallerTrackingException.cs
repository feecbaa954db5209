namespace Spiffe.Agent.Core.Attestation;

/// <summary>The caller of a connection could not be identified or is already gone; the message says why.</summary>
internal sealed class CallerTrackingException : Exception
{
    /// <summary>Creates the exception with a message that says what failed.</summary>
    public CallerTrackingException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the underlying cause.</summary>
    public CallerTrackingException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
