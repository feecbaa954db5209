using System.Threading.Channels;
using Spiffe.Agent.Core.Attestation;
using Spiffe.Agent.Core.Server;
using Spiffe.Agent.Core.Sync;
using Spiffe.Agent.Core.Workload;
using Spiffe.Core;

namespace Spiffe.Agent.Core.Cache;

/// <summary>
/// The agent's view of its authorised entries, their X509-SVIDs, the own and federated bundles, and the workloads
/// subscribed to them. The synchronizer feeds it; the Workload API reads it through
/// <see cref="IWorkloadIdentityCache"/>. After every change each subscriber's state is rebuilt and published when it
/// differs from what the subscriber last got (compared by the identity of the entry, SVID and bundle objects, which
/// are only replaced when they change). Thread-safe: one lock guards all state; publishing never blocks.
/// </summary>
internal sealed class WorkloadIdentityCache : IWorkloadIdentityCache, IDisposable
{
    private readonly JwtSvidCache _jwtSvids;
    private readonly TimeProvider _timeProvider;
    private readonly int _maxX509Svids;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, RegistrationEntry> _entries = new(StringComparer.Ordinal);
    private readonly Dictionary<Selector, HashSet<string>> _selectorIndex = [];
    private readonly Dictionary<string, CachedX509Svid> _svids = new(StringComparer.Ordinal);
    private readonly Dictionary<TrustDomain, ServerBundle> _federatedBundles = [];
    private readonly HashSet<WorkloadSubscription> _subscriptions = [];
    private readonly Channel<bool> _mintRequests =
        Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    private ServerBundle? _ownBundle;
    private bool _disposed;

    /// <summary>Creates an empty cache.</summary>
    public WorkloadIdentityCache(AgentOptions options, JwtSvidCache jwtSvids, TimeProvider timeProvider, AgentMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(metrics);
        _jwtSvids = jwtSvids ?? throw new ArgumentNullException(nameof(jwtSvids));
        _timeProvider = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        _maxX509Svids = options.X509SvidCacheMaxSize;
        metrics.Meter.CreateObservableGauge("spiffe.agent.cache.entries", () => Read(() => _entries.Count), description: "Registration entries cached");
        metrics.Meter.CreateObservableGauge("spiffe.agent.cache.x509_svids", () => Read(() => _svids.Count), description: "Workload X509-SVIDs cached");
        metrics.Meter.CreateObservableGauge("spiffe.agent.cache.subscribers", () => Read(() => _subscriptions.Count), description: "Workload subscriptions");
    }

    /// <summary>
    /// Raised after every change of the entries, SVIDs or bundles, inside the cache's lock: a handler must only signal
    /// (for example write to a channel) and never block. The WIT-SVID cache follows entry and bundle changes this way.
    /// </summary>
    public event Action? Changed;

    /// <summary>The number of live subscriptions.</summary>
    public int SubscriptionCount => Read(() => _subscriptions.Count);

    /// <summary>The number of cached X509-SVIDs.</summary>
    public int X509SvidCount => Read(() => _svids.Count);

    /// <inheritdoc/>
    public IWorkloadSubscription Subscribe(SelectorSet workloadSelectors)
    {
        ArgumentNullException.ThrowIfNull(workloadSelectors);
        var subscription = new WorkloadSubscription(workloadSelectors, this);
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _subscriptions.Add(subscription);
            Refresh(subscription, _timeProvider.GetUtcNow());
            if (subscription.MatchedEntryIds.Any(id => !_svids.ContainsKey(id)))
            {
                _mintRequests.Writer.TryWrite(true);
            }
        }

        return subscription;
    }

    /// <inheritdoc/>
    public async ValueTask<IReadOnlyList<IssuedJwtSvid>> FetchJwtSvidsAsync(
        SelectorSet workloadSelectors,
        IReadOnlyList<string> audiences,
        SpiffeId? spiffeId,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(workloadSelectors);
        ArgumentNullException.ThrowIfNull(audiences);
        if (audiences.Count == 0 || audiences.Any(string.IsNullOrEmpty))
        {
            throw new ArgumentException("audience must be specified", nameof(audiences));
        }

        List<RegistrationEntry> entries;
        lock (_lock)
        {
            entries = DeduplicateByHint(Match(workloadSelectors));
        }

        var results = new List<IssuedJwtSvid>(entries.Count);
        foreach (var entry in entries.Where(e => spiffeId is not { } id || e.SpiffeId == id))
        {
            results.Add(await _jwtSvids.GetAsync(entry, audiences, cancellationToken));
        }

        return results;
    }

    /// <inheritdoc/>
    public JwtBundleSet GetJwtBundlesForValidation(SelectorSet workloadSelectors)
    {
        ArgumentNullException.ThrowIfNull(workloadSelectors);
        lock (_lock)
        {
            if (_ownBundle is null)
            {
                return new JwtBundleSet([]);
            }

            var federated = FederatedBundles(Match(workloadSelectors)).Select(b => b.Jwt);
            return new JwtBundleSet(federated.Prepend(_ownBundle.Jwt));
        }
    }

    /// <summary>
    /// The workload entries that apply to these selectors, ordered by entry ID and de-duplicated by hint (the same
    /// entries a <see cref="WorkloadUpdate"/> has identities for). Empty when nothing matches.
    /// </summary>
    public IReadOnlyList<RegistrationEntry> MatchEntries(SelectorSet workloadSelectors)
    {
        ArgumentNullException.ThrowIfNull(workloadSelectors);
        lock (_lock)
        {
            return DeduplicateByHint(Match(workloadSelectors));
        }
    }

    /// <summary>
    /// The WIT bundles for these selectors: the own trust domain's (without keys when the server publishes no WIT
    /// authorities) and those of the foreign trust domains their entries federate with that have WIT authorities.
    /// Empty before the first sync.
    /// </summary>
    public WitBundleSet GetWitBundles(SelectorSet workloadSelectors)
    {
        ArgumentNullException.ThrowIfNull(workloadSelectors);
        lock (_lock)
        {
            if (_ownBundle is null)
            {
                return new WitBundleSet([]);
            }

            var own = _ownBundle.Wit ?? new WitBundle(_ownBundle.TrustDomain, []);
            var federated = FederatedBundles(Match(workloadSelectors)).Select(b => b.Wit).OfType<WitBundle>();
            return new WitBundleSet(federated.Prepend(own));
        }
    }

    /// <summary>A snapshot of the cached entries by ID (for the next sync's revision diff).</summary>
    public IReadOnlyDictionary<string, RegistrationEntry> GetEntries()
    {
        lock (_lock)
        {
            return new Dictionary<string, RegistrationEntry>(_entries, StringComparer.Ordinal);
        }
    }

    /// <summary>The foreign trust domains referenced by any cached entry, ordered by name.</summary>
    public IReadOnlyList<TrustDomain> GetFederatedTrustDomains()
    {
        lock (_lock)
        {
            var own = _ownBundle?.TrustDomain;
            return _entries.Values.SelectMany(e => e.FederatesWith)
                .Where(td => td != own)
                .Distinct()
                .OrderBy(td => td.Name, StringComparer.Ordinal)
                .ToList();
        }
    }

    /// <summary>
    /// Replaces the entry set with the server's complete list. Entries with an unchanged revision keep their cached
    /// instance; removed entries lose their SVID; a changed SPIFFE ID drops the SVID (other changes keep serving it
    /// until the re-mint). Subscribers are updated.
    /// </summary>
    public EntryChanges UpdateEntries(IReadOnlyList<RegistrationEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        lock (_lock)
        {
            var incoming = new Dictionary<string, RegistrationEntry>(entries.Count, StringComparer.Ordinal);
            foreach (var entry in entries)
            {
                incoming[entry.Id] = entry;
            }

            var removed = _entries.Keys.Where(id => !incoming.ContainsKey(id)).ToList();
            foreach (var id in removed)
            {
                RemoveEntry(id);
            }

            int added = 0, changed = 0;
            foreach (var entry in incoming.Values)
            {
                if (!_entries.TryGetValue(entry.Id, out var old))
                {
                    AddEntry(entry);
                    added++;
                }
                else if (!old.IsSameRevision(entry))
                {
                    RemoveEntry(entry.Id, keepSvid: old.SpiffeId == entry.SpiffeId);
                    AddEntry(entry);
                    changed++;
                }
            }

            RefreshAll();
            return new EntryChanges(_entries.Count, added, changed, removed.Count);
        }
    }

    /// <summary>
    /// Drops entries and their SVIDs at once (not waiting for the next sync); subscribers are updated and see the
    /// identities disappear.
    /// </summary>
    public void RemoveEntries(IEnumerable<string> entryIds)
    {
        ArgumentNullException.ThrowIfNull(entryIds);
        lock (_lock)
        {
            foreach (var id in entryIds)
            {
                RemoveEntry(id);
            }

            RefreshAll();
        }
    }

    /// <summary>
    /// Ends the subscriptions whose selectors satisfy <paramref name="predicate"/>: their channels complete with
    /// <see cref="WorkloadSubscriptionRevokedException"/> carrying <paramref name="reason"/>. Returns how many ended.
    /// </summary>
    public int RevokeSubscriptions(Func<SelectorSet, bool> predicate, string reason)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        ArgumentException.ThrowIfNullOrEmpty(reason);
        lock (_lock)
        {
            var revoked = _subscriptions.Where(s => predicate(s.Selectors)).ToList();
            foreach (var subscription in revoked)
            {
                _subscriptions.Remove(subscription);
                subscription.Complete(new WorkloadSubscriptionRevokedException(reason));
            }

            return revoked.Count;
        }
    }

    /// <summary>
    /// Sets the own bundle and the federated bundles (those the server returned for the referenced trust domains;
    /// others are dropped). Bundles with unchanged authorities keep their cached instance. Returns the trust domains
    /// whose bundle changed.
    /// </summary>
    public IReadOnlyList<TrustDomain> UpdateBundles(ServerBundle own, IReadOnlyList<ServerBundle> federated)
    {
        ArgumentNullException.ThrowIfNull(own);
        ArgumentNullException.ThrowIfNull(federated);
        lock (_lock)
        {
            var changed = new List<TrustDomain>();
            if (_ownBundle is null || !_ownBundle.HasSameAuthorities(own))
            {
                _ownBundle = own;
                changed.Add(own.TrustDomain);
            }

            var incoming = federated.Where(b => b.TrustDomain != own.TrustDomain).ToDictionary(b => b.TrustDomain);
            foreach (var trustDomain in _federatedBundles.Keys.Where(td => !incoming.ContainsKey(td)).ToList())
            {
                _federatedBundles.Remove(trustDomain);
                changed.Add(trustDomain);
            }

            foreach (var bundle in incoming.Values)
            {
                if (!_federatedBundles.TryGetValue(bundle.TrustDomain, out var old) || !old.HasSameAuthorities(bundle))
                {
                    _federatedBundles[bundle.TrustDomain] = bundle;
                    changed.Add(bundle.TrustDomain);
                }
            }

            if (changed.Count > 0)
            {
                RefreshAll();
            }

            return changed;
        }
    }

    /// <summary>
    /// Returns the entries whose X509-SVID must be minted now: those matched by a subscriber but without an SVID
    /// first, then cached SVIDs minted for an older entry revision or past their jittered half-life, then prefetches of
    /// missing SVIDs (unless the entry disables prefetch) while the cache stays within its size.
    /// </summary>
    public IReadOnlyList<MintCandidate> SelectEntriesToMint(DateTimeOffset now, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        lock (_lock)
        {
            var subscribed = SubscribedEntryIds();
            var missingSubscribed = new List<MintCandidate>();
            var rotations = new List<MintCandidate>();
            var prefetch = new List<MintCandidate>();
            foreach (var entry in _entries.Values.Where(IsWorkloadEntry).OrderBy(e => e.Id, StringComparer.Ordinal))
            {
                if (_svids.TryGetValue(entry.Id, out var cached))
                {
                    if (cached.EntryRevision != entry.RevisionNumber || RotationPolicy.ShouldRotate(now, cached.NotBefore, cached.NotAfter, random))
                    {
                        rotations.Add(new MintCandidate(entry, IsRotation: true));
                    }
                }
                else if (subscribed.Contains(entry.Id))
                {
                    missingSubscribed.Add(new MintCandidate(entry, IsRotation: false));
                }
                else if (!entry.DisableX509SvidPrefetch)
                {
                    prefetch.Add(new MintCandidate(entry, IsRotation: false));
                }
            }

            var room = Math.Max(0, _maxX509Svids - _svids.Count - missingSubscribed.Count);
            return [.. missingSubscribed, .. rotations, .. prefetch.Take(room)];
        }
    }

    /// <summary>
    /// Stores freshly minted SVIDs for the entries they were requested for (dropped when the entry is gone or its
    /// SPIFFE ID changed meanwhile), evicts least recently used SVIDs without subscribers beyond the size limit, and
    /// updates subscribers.
    /// </summary>
    public void StoreSvids(IReadOnlyList<(RegistrationEntry Entry, X509Svid Svid)> minted)
    {
        ArgumentNullException.ThrowIfNull(minted);
        lock (_lock)
        {
            var now = _timeProvider.GetUtcNow();
            foreach (var (entry, svid) in minted)
            {
                if (_entries.TryGetValue(entry.Id, out var current) && current.SpiffeId == svid.Id)
                {
                    _svids[entry.Id] = new CachedX509Svid(svid, entry.RevisionNumber, now);
                }
            }

            EvictBeyondLimit();
            RefreshAll();
        }
    }

    /// <summary>Completes when a subscriber waits for SVIDs that are not cached yet (the mint loop's wake-up).</summary>
    public async Task WaitForMintRequestAsync(CancellationToken cancellationToken) =>
        await _mintRequests.Reader.ReadAsync(cancellationToken);

    /// <summary>Ends every subscription normally (agent shutdown) and refuses new ones.</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            _disposed = true;
            foreach (var subscription in _subscriptions)
            {
                subscription.Complete(null);
            }

            _subscriptions.Clear();
        }
    }

    /// <summary>Removes a subscription (called by its Dispose).</summary>
    internal void Unsubscribe(WorkloadSubscription subscription)
    {
        lock (_lock)
        {
            _subscriptions.Remove(subscription);
        }
    }

    private static bool IsWorkloadEntry(RegistrationEntry entry) => !entry.StoreSvid && entry.Selectors.Count > 0;

    private static List<RegistrationEntry> DeduplicateByHint(IEnumerable<RegistrationEntry> entries)
    {
        var list = entries.ToList();
        var keep = list.Where(e => e.Hint.Length > 0)
            .GroupBy(e => e.Hint, StringComparer.Ordinal)
            .Select(g => g.OrderBy(e => e.CreatedAt).ThenBy(e => e.Id, StringComparer.Ordinal).First())
            .ToHashSet();
        return list.Where(e => e.Hint.Length == 0 || keep.Contains(e)).ToList();
    }

    private T Read<T>(Func<T> read)
    {
        lock (_lock)
        {
            return read();
        }
    }

    private void AddEntry(RegistrationEntry entry)
    {
        _entries[entry.Id] = entry;
        foreach (var selector in entry.Selectors)
        {
            if (!_selectorIndex.TryGetValue(selector, out var ids))
            {
                ids = new HashSet<string>(StringComparer.Ordinal);
                _selectorIndex[selector] = ids;
            }

            ids.Add(entry.Id);
        }
    }

    private void RemoveEntry(string id, bool keepSvid = false)
    {
        if (!_entries.Remove(id, out var entry))
        {
            return;
        }

        foreach (var selector in entry.Selectors)
        {
            if (_selectorIndex.TryGetValue(selector, out var ids) && ids.Remove(id) && ids.Count == 0)
            {
                _selectorIndex.Remove(selector);
            }
        }

        if (!keepSvid)
        {
            _svids.Remove(id);
        }
    }

    private List<RegistrationEntry> Match(SelectorSet workloadSelectors)
    {
        var candidates = new HashSet<string>(StringComparer.Ordinal);
        foreach (var selector in workloadSelectors)
        {
            if (_selectorIndex.TryGetValue(selector, out var ids))
            {
                candidates.UnionWith(ids);
            }
        }

        return candidates.Select(id => _entries[id])
            .Where(e => IsWorkloadEntry(e) && workloadSelectors.IsSupersetOf(e.Selectors))
            .OrderBy(e => e.Id, StringComparer.Ordinal)
            .ToList();
    }

    private List<ServerBundle> FederatedBundles(IEnumerable<RegistrationEntry> entries) =>
        entries.SelectMany(e => e.FederatesWith)
            .Distinct()
            .Select(td => _federatedBundles.GetValueOrDefault(td))
            .OfType<ServerBundle>()
            .OrderBy(b => b.TrustDomain.Name, StringComparer.Ordinal)
            .ToList();

    private HashSet<string> SubscribedEntryIds()
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var subscription in _subscriptions)
        {
            ids.UnionWith(subscription.MatchedEntryIds);
        }

        return ids;
    }

    private void EvictBeyondLimit()
    {
        var excess = _svids.Count - _maxX509Svids;
        if (excess <= 0)
        {
            return;
        }

        var subscribed = SubscribedEntryIds();
        var victims = _svids.Where(kv => !subscribed.Contains(kv.Key))
            .OrderBy(kv => kv.Value.LastAccess)
            .Take(excess)
            .Select(kv => kv.Key)
            .ToList();
        foreach (var id in victims)
        {
            _svids.Remove(id);
        }
    }

    private void RefreshAll()
    {
        var now = _timeProvider.GetUtcNow();
        foreach (var subscription in _subscriptions)
        {
            Refresh(subscription, now);
        }

        Changed?.Invoke();
    }

    private void Refresh(WorkloadSubscription subscription, DateTimeOffset now)
    {
        var matched = Match(subscription.Selectors);
        subscription.MatchedEntryIds = matched.Select(e => e.Id).ToHashSet(StringComparer.Ordinal);
        if (_ownBundle is null || (!subscription.HasPublished && matched.Any(e => !_svids.ContainsKey(e.Id))))
        {
            return;
        }

        var withSvids = matched.Where(e => _svids.ContainsKey(e.Id)).ToList();
        var federated = FederatedBundles(matched);
        var fingerprint = new List<object>(2 + (withSvids.Count * 2) + federated.Count) { _ownBundle };
        foreach (var entry in withSvids)
        {
            fingerprint.Add(entry);
            fingerprint.Add(_svids[entry.Id].Svid);
        }

        fingerprint.AddRange(federated);
        if (subscription.HasPublished && subscription.Fingerprint.SequenceEqual(fingerprint, ReferenceEqualityComparer.Instance))
        {
            return;
        }

        var identities = DeduplicateByHint(withSvids)
            .Select(e =>
            {
                var cached = _svids[e.Id];
                cached.LastAccess = now;
                return new WorkloadIdentity(e, cached.Svid);
            })
            .ToList();
        subscription.Publish(
            new WorkloadUpdate
            {
                Identities = identities,
                X509Bundle = _ownBundle.X509,
                JwtBundle = _ownBundle.Jwt,
                FederatedX509Bundles = new X509BundleSet(federated.Select(b => b.X509)),
                FederatedJwtBundles = new JwtBundleSet(federated.Select(b => b.Jwt)),
            },
            fingerprint);
    }
}
