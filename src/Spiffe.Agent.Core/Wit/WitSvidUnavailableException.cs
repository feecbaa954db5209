namespace Spiffe.Agent.Core.Wit;

/// <summary>
/// A WIT-SVID could not be obtained for an entry (server failure, or the server's answer was refused). The Workload
/// API maps it to <c>Unavailable</c>.
/// </summary>
internal sealed class WitSvidUnavailableException : Exception
{
    /// <summary>Creates the exception with the reason.</summary>
    public WitSvidUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with the reason and the server error.</summary>
    public WitSvidUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
