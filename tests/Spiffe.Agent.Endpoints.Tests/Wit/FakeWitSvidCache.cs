using System.Threading.Channels;
using Spiffe.Agent.Core.Attestation;
using Spiffe.Agent.Core.Wit;

namespace Spiffe.Agent.Endpoints.Tests.Wit;

/// <summary>
/// The WIT cache contract by hand: every subscriber first gets <see cref="Current"/>, then every update passed to
/// <see cref="Publish"/> (in order, none dropped). <see cref="GetIdentitiesAsync"/> answers from <see cref="Current"/>
/// unless <see cref="Failure"/> is set.
/// </summary>
internal sealed class FakeWitSvidCache : IWitSvidCache
{
    private readonly Lock _gate = new();
    private readonly List<(Channel<WitUpdate> Channel, bool WithSvids)> _subscribers = [];

    public FakeWitSvidCache(WitUpdate initial) => Current = initial;

    public bool IsEnabled { get; set; } = true;

    public WitUpdate Current { get; private set; }

    public Exception? Failure { get; set; }

    public List<bool> Subscriptions { get; } = [];

    public int GetIdentitiesCalls { get; private set; }

    public IWitSubscription Subscribe(SelectorSet workloadSelectors, bool withSvids)
    {
        var channel = Channel.CreateUnbounded<WitUpdate>();
        lock (_gate)
        {
            Subscriptions.Add(withSvids);
            _subscribers.Add((channel, withSvids));
            channel.Writer.TryWrite(Current);
        }

        return new Subscription(channel, () =>
        {
            lock (_gate)
            {
                _subscribers.RemoveAll(s => s.Channel == channel);
            }
        });
    }

    public Task<IReadOnlyList<WitIdentity>> GetIdentitiesAsync(SelectorSet workloadSelectors, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            GetIdentitiesCalls++;
            return Failure is { } failure ? Task.FromException<IReadOnlyList<WitIdentity>>(failure) : Task.FromResult(Current.Identities);
        }
    }

    public void Publish(WitUpdate update)
    {
        lock (_gate)
        {
            Current = update;
            foreach (var (channel, _) in _subscribers)
            {
                channel.Writer.TryWrite(update);
            }
        }
    }

    private sealed class Subscription(Channel<WitUpdate> channel, Action onDispose) : IWitSubscription
    {
        public ChannelReader<WitUpdate> Updates => channel.Reader;

        public void Dispose()
        {
            channel.Writer.TryComplete();
            onDispose();
        }
    }
}
