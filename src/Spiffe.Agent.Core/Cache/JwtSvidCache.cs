using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Spiffe.Agent.Core.Server;
using Spiffe.Agent.Core.Sync;
using Spiffe.Agent.Core.Workload;
using Spiffe.Core;

namespace Spiffe.Agent.Core.Cache;

/// <summary>
/// JWT-SVIDs by (SPIFFE ID, sorted audiences), a hard-capped LRU. A cached token is reused until it passes a jittered
/// half-life; then a new one is requested, and if that fails while the cached one is unexpired, the cached one is
/// returned with a warning. Entries with <c>jwt_svid_include_jti</c> are never cached. Thread-safe.
/// </summary>
internal sealed class JwtSvidCache
{
    private readonly ISpireServerClient _client;
    private readonly TimeProvider _timeProvider;
    private readonly Random _random;
    private readonly AgentMetrics _metrics;
    private readonly ILogger<JwtSvidCache> _logger;
    private readonly int _maxSize;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, LinkedListNode<KeyValuePair<string, IssuedJwtSvid>>> _index = new(StringComparer.Ordinal);
    private readonly LinkedList<KeyValuePair<string, IssuedJwtSvid>> _recency = new();

    /// <summary>Creates the cache; <see cref="AgentOptions.JwtSvidCacheMaxSize"/> 0 disables caching.</summary>
    public JwtSvidCache(
        AgentOptions options,
        ISpireServerClient client,
        TimeProvider timeProvider,
        Random random,
        AgentMetrics metrics,
        ILogger<JwtSvidCache> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _client = client ?? throw new ArgumentNullException(nameof(client));
        _timeProvider = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        _random = random ?? throw new ArgumentNullException(nameof(random));
        _metrics = metrics ?? throw new ArgumentNullException(nameof(metrics));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _maxSize = options.JwtSvidCacheMaxSize;
        metrics.Meter.CreateObservableGauge("spiffe.agent.cache.jwt_svids", () => Count, description: "JWT-SVIDs cached");
    }

    /// <summary>The number of cached tokens.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _index.Count;
            }
        }
    }

    /// <summary>The cache key: hex SHA-256 of the SPIFFE ID, NUL, then each sorted audience followed by NUL.</summary>
    public static string Key(SpiffeId spiffeId, IEnumerable<string> audiences)
    {
        ArgumentNullException.ThrowIfNull(audiences);
        var text = new StringBuilder(spiffeId.ToString()).Append('\0');
        foreach (var audience in audiences.Order(StringComparer.Ordinal))
        {
            text.Append(audience).Append('\0');
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    /// <summary>Returns a JWT-SVID for the entry with all the audiences.</summary>
    /// <exception cref="JwtSvidUnavailableException">The server failed and no unexpired token is cached.</exception>
    public async ValueTask<IssuedJwtSvid> GetAsync(RegistrationEntry entry, IReadOnlyList<string> audiences, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(audiences);
        var cacheable = !entry.JwtSvidIncludeJti && _maxSize > 0;
        var key = Key(entry.SpiffeId, audiences);
        var cached = cacheable ? TryGet(key) : null;
        var now = _timeProvider.GetUtcNow();
        if (cached is not null && !RotationPolicy.ShouldRotate(now, cached.IssuedAt, cached.ExpiresAt, _random))
        {
            _metrics.RecordJwtSvidFetch("cache");
            return ForEntry(cached, entry);
        }

        IssuedJwtSvid fresh;
        try
        {
            fresh = await _client.NewJwtSvidAsync(entry, audiences, cancellationToken);
        }
        catch (SpireServerException ex)
        {
            if (cached is not null && cached.ExpiresAt > _timeProvider.GetUtcNow())
            {
                AgentCoreLog.StaleJwtSvidServed(_logger, entry.SpiffeId, ex.Message, cached.ExpiresAt);
                _metrics.RecordJwtSvidFetch("stale_cache");
                return ForEntry(cached, entry);
            }

            _metrics.RecordJwtSvidFetch("failure");
            throw new JwtSvidUnavailableException(ex.Message, ex);
        }

        if (entry.Outlives(fresh.ExpiresAt))
        {
            _metrics.RecordJwtSvidFetch("failure");
            throw new JwtSvidUnavailableException(
                $"the server issued a JWT-SVID expiring at {fresh.ExpiresAt:O}, after its entry ({entry.ExpiresAt:O})",
                new SpireServerException(ServerStatusCode.Internal, "JWT-SVID outlives its entry"));
        }

        if (cacheable)
        {
            Set(key, fresh);
        }

        _metrics.RecordJwtSvidFetch("server");
        return fresh;
    }

    private static IssuedJwtSvid ForEntry(IssuedJwtSvid svid, RegistrationEntry entry) =>
        string.Equals(svid.EntryId, entry.Id, StringComparison.Ordinal) && string.Equals(svid.Hint, entry.Hint, StringComparison.Ordinal)
            ? svid
            : svid with { EntryId = entry.Id, Hint = entry.Hint };

    private IssuedJwtSvid? TryGet(string key)
    {
        lock (_lock)
        {
            if (!_index.TryGetValue(key, out var node))
            {
                return null;
            }

            _recency.Remove(node);
            _recency.AddFirst(node);
            return node.Value.Value;
        }
    }

    private void Set(string key, IssuedJwtSvid svid)
    {
        lock (_lock)
        {
            if (_index.Remove(key, out var existing))
            {
                _recency.Remove(existing);
            }

            _index[key] = _recency.AddFirst(new KeyValuePair<string, IssuedJwtSvid>(key, svid));
            while (_index.Count > _maxSize)
            {
                var oldest = _recency.Last!;
                _recency.RemoveLast();
                _index.Remove(oldest.Value.Key);
            }
        }
    }
}
