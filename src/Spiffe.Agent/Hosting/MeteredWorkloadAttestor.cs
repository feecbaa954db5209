using Spiffe.Agent.Core.Attestation;
using Spiffe.Agent.Endpoints.Diagnostics;

namespace Spiffe.Agent.Hosting;

/// <summary>Records every run of a workload attestor (by attestor and outcome) and passes the result through.</summary>
internal sealed class MeteredWorkloadAttestor : IWorkloadAttestor
{
    private readonly IWorkloadAttestor _inner;
    private readonly WorkloadApiMetrics _metrics;
    private readonly TimeProvider _timeProvider;

    /// <summary>Wraps <paramref name="inner"/>.</summary>
    public MeteredWorkloadAttestor(IWorkloadAttestor inner, WorkloadApiMetrics metrics, TimeProvider timeProvider)
    {
        _inner = inner ?? throw new ArgumentNullException(nameof(inner));
        _metrics = metrics ?? throw new ArgumentNullException(nameof(metrics));
        _timeProvider = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
    }

    /// <inheritdoc />
    public string Name => _inner.Name;

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<Selector>> AttestAsync(int pid, CancellationToken cancellationToken)
    {
        var started = _timeProvider.GetTimestamp();
        var succeeded = false;
        try
        {
            var selectors = await _inner.AttestAsync(pid, cancellationToken);
            succeeded = true;
            return selectors;
        }
        finally
        {
            _metrics.AttestorRan(_inner.Name, succeeded, _timeProvider.GetElapsedTime(started));
        }
    }
}
