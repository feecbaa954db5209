namespace Spiffe.Core;

/// <summary>
/// An <see cref="IWptReplayCache"/> in process memory, bounded in size: entries are pruned once their expiry is
/// before <c>now</c>, and when <see cref="Capacity"/> unexpired entries are held every new proof is refused (fail
/// closed) until some expire. Thread-safe. Replays are only detected by the process that holds the cache.
/// </summary>
public sealed class InMemoryWptReplayCache : IWptReplayCache
{
    /// <summary>The default capacity, 100 000 entries.</summary>
    public const int DefaultCapacity = 100_000;

    private readonly Lock gate = new();
    private readonly HashSet<string> entries = new(StringComparer.Ordinal);
    private readonly PriorityQueue<string, DateTimeOffset> byExpiry = new();

    /// <summary>Creates a cache.</summary>
    /// <param name="capacity">The most unexpired entries held at once; at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="capacity"/> is less than 1.</exception>
    public InMemoryWptReplayCache(int capacity = DefaultCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        this.Capacity = capacity;
    }

    /// <summary>The most unexpired entries held at once.</summary>
    public int Capacity { get; }

    /// <summary>The number of entries held (expired ones included until the next <see cref="TryAdd"/> prunes them).</summary>
    public int Count
    {
        get
        {
            lock (this.gate)
            {
                return this.entries.Count;
            }
        }
    }

    /// <inheritdoc/>
    public bool TryAdd(string key, DateTimeOffset expiresAt, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(key);
        lock (this.gate)
        {
            while (this.byExpiry.TryPeek(out var oldest, out var expiry) && expiry < now)
            {
                this.byExpiry.Dequeue();
                this.entries.Remove(oldest);
            }

            if (this.entries.Contains(key) || this.entries.Count >= this.Capacity)
            {
                return false;
            }

            this.entries.Add(key);
            this.byExpiry.Enqueue(key, expiresAt);
            return true;
        }
    }
}
