namespace Spiffe.Agent.Core.Attestation;

/// <summary>
/// A workload attestor: a process ID in, selectors out. Every selector it returns has <see cref="Selector.Type"/>
/// equal to <see cref="Name"/>; the attestation service rejects any other type.
/// </summary>
/// <remarks>
/// Implementations are safe to call concurrently. A process that simply has nothing to say (for example a process
/// that is not in a container, for a container attestor) yields an empty list; failures throw (preferably
/// <see cref="WorkloadAttestorException"/>), and the attestation service logs them and carries on with the other
/// attestors. Cancellation throws <see cref="OperationCanceledException"/>.
/// </remarks>
internal interface IWorkloadAttestor
{
    /// <summary>The attestor name, which is also the type of every selector it returns (e.g. <c>unix</c>).</summary>
    string Name { get; }

    /// <summary>Returns the selectors that describe the process <paramref name="pid"/>.</summary>
    ValueTask<IReadOnlyList<Selector>> AttestAsync(int pid, CancellationToken cancellationToken);
}
