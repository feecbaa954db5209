namespace Spiffe.Agent.Commands;

/// <summary><c>api fetch x509</c>: fetches X509-SVIDs from the Workload API.</summary>
internal sealed class ApiFetchX509Command : X509FetchCommandBase
{
    /// <summary>Creates the command.</summary>
    public ApiFetchX509Command(TimeProvider timeProvider)
        : base("x509", "Fetches X509-SVIDs from the Workload API", timeProvider)
    {
    }
}
