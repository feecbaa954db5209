using Spiffe.Agent.Core.Attestation;
using Spiffe.Agent.Core.Workload;
using Spiffe.Core;

namespace Spiffe.Agent.Core.Tasks;

/// <summary>
/// <see cref="IAdminSvidSource"/> over the identity cache: an internal subscription for the selector
/// <c>spiffe_agent:self</c> (which no attestor emits), kept open so the SVID is minted once and rotated like any other.
/// </summary>
internal sealed class AdminSvidSource : IAdminSvidSource, IDisposable
{
    /// <summary>How long a caller waits for the admin entry to appear in the cache.</summary>
    public static readonly TimeSpan WaitForEntry = TimeSpan.FromSeconds(5);

    private static readonly SelectorSet Selectors = SelectorSet.Create([TaskSelectors.AgentSelf]);

    private readonly IWorkloadIdentityCache _cache;
    private readonly SpiffeId _adminId;
    private readonly TimeProvider _timeProvider;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private IWorkloadSubscription? _subscription;
    private WorkloadUpdate? _latest;

    /// <summary>Creates the source for the configured admin SPIFFE ID.</summary>
    public AdminSvidSource(IWorkloadIdentityCache cache, TaskIdentityOptions options, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        _cache = cache ?? throw new ArgumentNullException(nameof(cache));
        _timeProvider = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        _adminId = options.AdminSpiffeId;
    }

    /// <inheritdoc/>
    public async Task<X509Svid> GetAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            using var timeout = new CancellationTokenSource(WaitForEntry, _timeProvider);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
            while (true)
            {
                _subscription ??= _cache.Subscribe(Selectors);
                while (_subscription.Updates.TryRead(out var update))
                {
                    _latest = update;
                }

                var identity = _latest?.Identities.FirstOrDefault(i => i.Entry.SpiffeId == _adminId);
                if (identity is not null && identity.Svid.Certificates[0].NotAfter > _timeProvider.GetUtcNow())
                {
                    return identity.Entry.Admin
                        ? identity.Svid
                        : throw new TaskControlException(
                            TaskControlError.FailedPrecondition, $"the entry for the admin identity {_adminId} is not an admin entry (register it with -admin)");
                }

                try
                {
                    if (!await _subscription.Updates.WaitToReadAsync(linked.Token))
                    {
                        _subscription.Dispose();
                        _subscription = null;
                        _latest = null;
                        throw new TaskControlException(TaskControlError.Unavailable, "the agent is shutting down");
                    }
                }
                catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
                {
                    throw new TaskControlException(
                        TaskControlError.FailedPrecondition,
                        $"no admin identity: register an entry with -parentID <this agent's SPIFFE ID> -spiffeID {_adminId} -selector {TaskSelectors.AgentSelf} -admin");
                }
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Ends the internal subscription.</summary>
    public void Dispose()
    {
        _subscription?.Dispose();
        _gate.Dispose();
    }
}
