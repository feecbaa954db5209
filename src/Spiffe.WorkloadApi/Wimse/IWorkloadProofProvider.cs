namespace Spiffe.WorkloadApi;

/// <summary>
/// Supplies the WIT and a fresh Workload Proof Token for one outgoing HTTP request. <see cref="WorkloadProofHandler"/>
/// calls it once per request. <see cref="LocalWorkloadProofProvider"/> signs with a key it holds; a provider backed
/// by the agent's <c>WorkloadProof</c> service has the agent sign, so the key never enters the process.
/// </summary>
public interface IWorkloadProofProvider
{
    /// <summary>Creates the credentials for one request.</summary>
    /// <param name="request">The request's target URI, method and context tokens.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The WIT and its proof for that request.</returns>
    ValueTask<WorkloadProof> CreateProofAsync(WorkloadProofRequest request, CancellationToken cancellationToken);
}
