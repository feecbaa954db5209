using System.Collections.Concurrent;

namespace Spiffe.WorkloadApi.Tests.Wimse;

/// <summary>An <see cref="IWorkloadProofProvider"/> that records each request and delegates to another provider.</summary>
internal sealed class RecordingProofProvider : IWorkloadProofProvider
{
    private readonly IWorkloadProofProvider inner;

    public RecordingProofProvider(IWorkloadProofProvider inner)
    {
        this.inner = inner;
    }

    public ConcurrentQueue<WorkloadProofRequest> Requests { get; } = new();

    public ValueTask<WorkloadProof> CreateProofAsync(WorkloadProofRequest request, CancellationToken cancellationToken)
    {
        this.Requests.Enqueue(request);
        return this.inner.CreateProofAsync(request, cancellationToken);
    }
}
