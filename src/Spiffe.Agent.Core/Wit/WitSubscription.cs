using System.Threading.Channels;
using Spiffe.Agent.Core.Attestation;

namespace Spiffe.Agent.Core.Wit;

/// <summary>
/// <see cref="IWitSubscription"/> of <see cref="WitSvidCache"/>: a capacity-one channel that drops the older value on
/// write, plus the state the cache keeps per subscriber (guarded by the cache's lock).
/// </summary>
internal sealed class WitSubscription : IWitSubscription
{
    private readonly Channel<WitUpdate> _channel = Channel.CreateBounded<WitUpdate>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropOldest, SingleWriter = true });

    private readonly WitSvidCache _cache;
    private int _disposed;

    /// <summary>Creates a subscription owned by <paramref name="cache"/>.</summary>
    public WitSubscription(SelectorSet selectors, bool withSvids, WitSvidCache cache)
    {
        Selectors = selectors ?? throw new ArgumentNullException(nameof(selectors));
        WithSvids = withSvids;
        _cache = cache ?? throw new ArgumentNullException(nameof(cache));
    }

    /// <summary>The workload selectors.</summary>
    public SelectorSet Selectors { get; }

    /// <summary>Whether the subscriber wants WIT-SVIDs (not only bundles).</summary>
    public bool WithSvids { get; }

    /// <inheritdoc/>
    public ChannelReader<WitUpdate> Updates => _channel.Reader;

    /// <summary>True once the first update was published.</summary>
    internal bool HasPublished { get; private set; }

    /// <summary>The entries and credentials the last published update was built from (change detection).</summary>
    internal IReadOnlyList<object> Fingerprint { get; private set; } = [];

    /// <summary>The IDs of the entries the selectors currently match.</summary>
    internal IReadOnlySet<string> MatchedEntryIds { get; set; } = new HashSet<string>();

    /// <summary>Publishes a full state, replacing any unread one.</summary>
    internal void Publish(WitUpdate update, IReadOnlyList<object> fingerprint)
    {
        Fingerprint = fingerprint;
        HasPublished = true;
        _channel.Writer.TryWrite(update);
    }

    /// <summary>Ends the channel (agent shutdown); an unread update is discarded.</summary>
    internal void Complete()
    {
        while (_channel.Reader.TryRead(out _))
        {
        }

        _channel.Writer.TryComplete();
    }

    /// <summary>Unsubscribes (idempotent) and completes the channel.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _cache.Unsubscribe(this);
            Complete();
        }
    }
}
