using Spiffe.Agent.Core.Attestation;

namespace Spiffe.Agent.Endpoints.Tests.Infrastructure;

/// <summary>Returns a configured attestation result and counts the calls.</summary>
internal sealed class FakeAttestationService : IWorkloadAttestationService
{
    private int _calls;

    public Func<ICallerWatcher, WorkloadAttestationResult> Result { get; set; } =
        _ => WorkloadAttestationResult.Succeeded(SelectorSet.Create([new Selector("unix", "uid:1000")]));

    public int Calls => Volatile.Read(ref _calls);

    public ValueTask<WorkloadAttestationResult> AttestAsync(ICallerWatcher caller, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        return ValueTask.FromResult(Result(caller));
    }
}
