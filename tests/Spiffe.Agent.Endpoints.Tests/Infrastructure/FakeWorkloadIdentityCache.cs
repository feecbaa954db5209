using Spiffe.Agent.Core.Attestation;
using Spiffe.Agent.Core.Workload;
using Spiffe.Core;

namespace Spiffe.Agent.Endpoints.Tests.Infrastructure;

/// <summary>
/// The cache contract by hand: every subscriber first gets <see cref="Current"/>, then every update passed to
/// <see cref="Publish"/>. JWT calls answer from <see cref="JwtSvids"/>.
/// </summary>
internal sealed class FakeWorkloadIdentityCache : IWorkloadIdentityCache
{
    private readonly Lock _gate = new();
    private readonly List<FakeSubscription> _subscriptions = [];
    private readonly TaskCompletionSource _subscribed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public FakeWorkloadIdentityCache(WorkloadUpdate initial) => Current = initial;

    public WorkloadUpdate Current { get; private set; }

    public Func<SelectorSet, IReadOnlyList<string>, SpiffeId?, IReadOnlyList<IssuedJwtSvid>> JwtSvids { get; set; } = (_, _, _) => [];

    public JwtBundleSet ValidationBundles { get; set; } = new([]);

    public List<(SelectorSet Selectors, IReadOnlyList<string> Audiences, SpiffeId? SpiffeId)> JwtRequests { get; } = [];

    public SelectorSet? LastSubscribedSelectors { get; private set; }

    public int ActiveSubscriptions
    {
        get
        {
            lock (_gate)
            {
                return _subscriptions.Count;
            }
        }
    }

    /// <summary>Completes when the first subscription was made.</summary>
    public Task Subscribed => _subscribed.Task;

    public IWorkloadSubscription Subscribe(SelectorSet workloadSelectors)
    {
        var subscription = new FakeSubscription(workloadSelectors, Remove);
        lock (_gate)
        {
            LastSubscribedSelectors = workloadSelectors;
            _subscriptions.Add(subscription);
            subscription.Push(Current);
        }

        _subscribed.TrySetResult();
        return subscription;
    }

    public void Publish(WorkloadUpdate update)
    {
        lock (_gate)
        {
            Current = update;
            foreach (var subscription in _subscriptions)
            {
                subscription.Push(update);
            }
        }
    }

    public void CompleteAll(Exception? error = null)
    {
        lock (_gate)
        {
            foreach (var subscription in _subscriptions)
            {
                subscription.Complete(error);
            }
        }
    }

    public ValueTask<IReadOnlyList<IssuedJwtSvid>> FetchJwtSvidsAsync(
        SelectorSet workloadSelectors, IReadOnlyList<string> audiences, SpiffeId? spiffeId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            JwtRequests.Add((workloadSelectors, audiences, spiffeId));
        }

        return ValueTask.FromResult(JwtSvids(workloadSelectors, audiences, spiffeId));
    }

    public JwtBundleSet GetJwtBundlesForValidation(SelectorSet workloadSelectors) => ValidationBundles;

    private void Remove(FakeSubscription subscription)
    {
        lock (_gate)
        {
            _subscriptions.Remove(subscription);
        }
    }
}
