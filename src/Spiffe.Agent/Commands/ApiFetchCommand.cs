namespace Spiffe.Agent.Commands;

/// <summary><c>api fetch</c>: without a sub-verb it fetches X509-SVIDs (as spire-agent does); <c>x509</c> and <c>jwt</c> below it.</summary>
internal sealed class ApiFetchCommand : X509FetchCommandBase
{
    /// <summary>Creates the command with its sub-verbs.</summary>
    public ApiFetchCommand(TimeProvider timeProvider, ApiFetchX509Command x509, ApiFetchJwtCommand jwt)
        : base("fetch", "Fetches SVIDs from the Workload API (X509-SVIDs unless a sub-command says otherwise)", timeProvider)
    {
        Subcommands.Add(x509);
        Subcommands.Add(jwt);
    }
}
