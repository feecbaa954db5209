namespace Spiffe.Agent.Core.Workload;

/// <summary>
/// A JWT-SVID could not be obtained from the server and no unexpired cached token exists. The Workload API maps it
/// to <c>Unavailable</c> "could not fetch JWT-SVID: " + <see cref="Exception.Message"/>.
/// </summary>
internal sealed class JwtSvidUnavailableException : Exception
{
    /// <summary>Creates the exception with the reason and the server error.</summary>
    public JwtSvidUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
