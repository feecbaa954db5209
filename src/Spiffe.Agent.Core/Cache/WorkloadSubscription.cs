using System.Threading.Channels;
using Spiffe.Agent.Core.Attestation;
using Spiffe.Agent.Core.Workload;

namespace Spiffe.Agent.Core.Cache;

/// <summary>
/// <see cref="IWorkloadSubscription"/> of <see cref="WorkloadIdentityCache"/>: a capacity-one channel that drops the
/// older value on write, plus the state the cache keeps per subscriber (guarded by the cache's lock).
/// </summary>
internal sealed class WorkloadSubscription : IWorkloadSubscription
{
    private readonly Channel<WorkloadUpdate> _channel = Channel.CreateBounded<WorkloadUpdate>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropOldest, SingleWriter = true });

    private readonly WorkloadIdentityCache _cache;
    private int _disposed;

    /// <summary>Creates a subscription owned by <paramref name="cache"/>.</summary>
    public WorkloadSubscription(SelectorSet selectors, WorkloadIdentityCache cache)
    {
        Selectors = selectors ?? throw new ArgumentNullException(nameof(selectors));
        _cache = cache ?? throw new ArgumentNullException(nameof(cache));
    }

    /// <inheritdoc/>
    public SelectorSet Selectors { get; }

    /// <inheritdoc/>
    public ChannelReader<WorkloadUpdate> Updates => _channel.Reader;

    /// <summary>True once the first update was published.</summary>
    internal bool HasPublished { get; private set; }

    /// <summary>The references the last published update was built from (change detection).</summary>
    internal IReadOnlyList<object> Fingerprint { get; private set; } = [];

    /// <summary>The IDs of the entries the selectors currently match.</summary>
    internal IReadOnlySet<string> MatchedEntryIds { get; set; } = new HashSet<string>();

    /// <summary>Publishes a full state, replacing any unread one.</summary>
    internal void Publish(WorkloadUpdate update, IReadOnlyList<object> fingerprint)
    {
        Fingerprint = fingerprint;
        HasPublished = true;
        _channel.Writer.TryWrite(update);
    }

    /// <summary>
    /// Ends the channel, with an error for revocation or without one for shutdown; an unread update is discarded so
    /// the reader sees the end at once.
    /// </summary>
    internal void Complete(Exception? error)
    {
        while (_channel.Reader.TryRead(out _))
        {
        }

        _channel.Writer.TryComplete(error);
    }

    /// <summary>Unsubscribes (idempotent) and completes the channel.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _cache.Unsubscribe(this);
            Complete(null);
        }
    }
}
