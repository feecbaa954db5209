using Microsoft.Extensions.Logging;
using Spiffe.Agent.Core.Attestation;

namespace Spiffe.Agent.Attestation;

/// <summary>
/// Runs every configured workload attestor concurrently for the caller's PID, merges their selectors, and tolerates
/// partial failure: a failing attestor is logged and its selectors dropped, and attestation fails only when every
/// attestor fails. Then — the PID-reuse invariant — the caller must still be the process that connected
/// (<see cref="ICallerWatcher.IsAlive"/>), or the selectors are refused with <see cref="WorkloadAttestationStatus.CallerGone"/>.
/// </summary>
internal sealed class WorkloadAttestationService : IWorkloadAttestationService
{
    private readonly IWorkloadAttestor[] _attestors;
    private readonly ILogger<WorkloadAttestationService> _logger;

    /// <summary>Creates the service over at least one attestor, with distinct names.</summary>
    public WorkloadAttestationService(IEnumerable<IWorkloadAttestor> attestors, ILogger<WorkloadAttestationService> logger)
    {
        ArgumentNullException.ThrowIfNull(attestors);
        _attestors = [.. attestors];
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        if (_attestors.Length == 0)
        {
            throw new ArgumentException("at least one workload attestor is required", nameof(attestors));
        }

        if (_attestors.DistinctBy(a => a.Name, StringComparer.Ordinal).Count() != _attestors.Length)
        {
            throw new ArgumentException("workload attestor names must be distinct", nameof(attestors));
        }
    }

    /// <inheritdoc />
    public async ValueTask<WorkloadAttestationResult> AttestAsync(ICallerWatcher caller, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var pid = caller.Credentials.Pid;
        var results = await Task.WhenAll(
            _attestors.Select(attestor => Task.Run(() => RunAsync(attestor, pid, cancellationToken), cancellationToken)));
        cancellationToken.ThrowIfCancellationRequested();
        if (Array.TrueForAll(results, r => r is null))
        {
            AttestationLog.WorkloadAttestationFailed(_logger, pid, _attestors.Length);
            return WorkloadAttestationResult.AttestationFailed();
        }

        var selectors = SelectorSet.Create(results.SelectMany(r => r ?? []));
        if (!caller.IsAlive())
        {
            AttestationLog.CallerGone(_logger, pid);
            return WorkloadAttestationResult.CallerGone();
        }

        // The agent's own health checks attest the agent itself; keep them out of the debug log.
        if (pid != Environment.ProcessId)
        {
            AttestationLog.WorkloadAttested(_logger, pid, selectors);
        }

        return WorkloadAttestationResult.Succeeded(selectors);
    }

    private async Task<IReadOnlyList<Selector>?> RunAsync(IWorkloadAttestor attestor, int pid, CancellationToken cancellationToken)
    {
        try
        {
            var selectors = await attestor.AttestAsync(pid, cancellationToken);
            var foreign = selectors.FirstOrDefault(s => s.Type != attestor.Name);
            if (foreign is not null)
            {
                throw new WorkloadAttestorException(
                    $"attestor returned a selector of type '{foreign.Type}'; only '{attestor.Name}' is allowed");
            }

            return selectors;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            AttestationLog.WorkloadAttestorFailed(_logger, attestor.Name, pid, ex);
            return null;
        }
    }
}
