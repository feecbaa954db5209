using System.Diagnostics.Metrics;
using System.Security.Cryptography;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Spiffe.Agent.Core.Attestation;
using Spiffe.Agent.Core.Cache;
using Spiffe.Agent.Core.Server;
using Spiffe.Agent.Core.Sync;
using Spiffe.Agent.Core.Tasks;
using Spiffe.Agent.Core.Workload;
using Spiffe.Core;

namespace Spiffe.Agent.Core.Wit;

/// <summary>
/// WIT-SVIDs by entry, next to the X.509 cache whose entries and bundles it follows (<see cref="WorkloadIdentityCache.Changed"/>).
/// <list type="bullet">
/// <item>A WIT is minted only when a workload asks (a <c>FetchWITSVID</c> stream or a proof), never prefetched, each with
/// a fresh key of <see cref="WitOptions.SigningAlgorithm"/> that never leaves memory.</item>
/// <item>Every received WIT is checked before use: a valid WIT-SVID for the entry's SPIFFE ID, binding the agent's key
/// with the requested algorithm, expiring no later than the entry (a task's deadline) and, for a task, carrying a
/// <c>jti</c> that is recorded for the task's revocation list first (a task that has ended gets no WIT).</item>
/// <item>A WIT in use (a stream subscribed, or a proof made since it was minted) is re-minted at a jittered half-life
/// like an X509-SVID, or when its entry changes; an idle one is dropped instead. A WIT already expiring with its entry
/// is not re-minted: a new one could not live longer.</item>
/// <item>A WIT leaves the cache, and its key is freed, as soon as its entry does (task end, entry deletion).</item>
/// </list>
/// Thread-safe. Lock order: this cache's lock, then the X.509 cache's; the <c>Changed</c> handler only signals.
/// </summary>
internal sealed class WitSvidCache : IWitSvidCache, IDisposable
{
    private readonly WorkloadIdentityCache _identities;
    private readonly IWitSvidSigner _signer;
    private readonly WitOptions _options;
    private readonly TrustDomain _trustDomain;
    private readonly ITaskCredentialRecorder? _recorder;
    private readonly ITaskDirectory? _tasks;
    private readonly TimeProvider _timeProvider;
    private readonly Random _random;
    private readonly ILogger<WitSvidCache> _logger;
    private readonly Counter<long> _mints;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Slot> _slots = new(StringComparer.Ordinal);
    private readonly HashSet<WitSubscription> _subscriptions = [];
    private readonly SemaphoreSlim _mintGate = new(1, 1);
    private readonly Channel<bool> _wakeUps =
        Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    private bool _disposed;

    /// <summary>Creates the cache; the task services are absent when task-bound identities are not configured.</summary>
    public WitSvidCache(
        WorkloadIdentityCache identities,
        IWitSvidSigner signer,
        WitOptions options,
        AgentOptions agentOptions,
        TimeProvider timeProvider,
        Random random,
        AgentMetrics metrics,
        ILogger<WitSvidCache> logger,
        ITaskCredentialRecorder? recorder = null,
        ITaskDirectory? tasks = null)
    {
        ArgumentNullException.ThrowIfNull(agentOptions);
        ArgumentNullException.ThrowIfNull(metrics);
        _identities = identities ?? throw new ArgumentNullException(nameof(identities));
        _signer = signer ?? throw new ArgumentNullException(nameof(signer));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _timeProvider = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        _random = random ?? throw new ArgumentNullException(nameof(random));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _trustDomain = agentOptions.TrustDomain;
        _recorder = recorder;
        _tasks = tasks;
        _mints = metrics.Meter.CreateCounter<long>("spiffe.agent.wit_svid.mints", description: "WIT-SVIDs requested from the server, by reason (new, rotation) and result");
        metrics.Meter.CreateObservableGauge("spiffe.agent.cache.wit_svids", () => Count, description: "WIT-SVIDs cached");
        _identities.Changed += Wake;
    }

    /// <summary>The number of cached WIT-SVIDs.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _slots.Count;
            }
        }
    }

    /// <inheritdoc/>
    public bool IsEnabled =>
        _identities.GetWitBundles(SelectorSet.Empty).TryGetBundle(_trustDomain, out var own) && own.WitAuthorities.Count > 0;

    /// <inheritdoc/>
    public IWitSubscription Subscribe(SelectorSet workloadSelectors, bool withSvids)
    {
        ArgumentNullException.ThrowIfNull(workloadSelectors);
        var subscription = new WitSubscription(workloadSelectors, withSvids, this);
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _subscriptions.Add(subscription);
            Refresh(subscription);
            if (withSvids && subscription.MatchedEntryIds.Any(id => !_slots.ContainsKey(id)))
            {
                Wake();
            }
        }

        return subscription;
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<WitIdentity>> GetIdentitiesAsync(SelectorSet workloadSelectors, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(workloadSelectors);
        var entries = _identities.MatchEntries(workloadSelectors);
        if (entries.Count == 0)
        {
            return [];
        }

        if (TryCollect(entries) is { } cached)
        {
            return cached;
        }

        IReadOnlyDictionary<string, string> errors;
        try
        {
            errors = await MintAsync(entries, cancellationToken);
        }
        catch (SpireServerException ex)
        {
            throw new WitSvidUnavailableException("could not mint a WIT-SVID: " + ex.Message, ex);
        }

        return TryCollect(entries) ?? throw new WitSvidUnavailableException(
            "could not mint a WIT-SVID: " + (errors.Count > 0 ? string.Join("; ", errors.Select(e => $"entry {e.Key}: {e.Value}")) : "the entry changed meanwhile"));
    }

    /// <summary>
    /// Runs the cache's upkeep until cancelled: after every entry or bundle change, every new subscriber that waits for
    /// a WIT, and every <see cref="WitOptions.RotationCheckInterval"/>, drops WITs whose entry is gone, then mints what
    /// subscribers miss and rotates what is due. A failed server call is logged and retried at the next wake-up.
    /// </summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_options.RotationCheckInterval, _timeProvider);
        var ticks = TickAsync(timer, cancellationToken);
        try
        {
            while (await _wakeUps.Reader.WaitToReadAsync(cancellationToken))
            {
                _wakeUps.Reader.TryRead(out _);
                RemoveStale();
                try
                {
                    await MintAsync([], cancellationToken);
                }
                catch (SpireServerException ex)
                {
                    WitLog.WitSvidMintFailed(_logger, ex.Message);
                }
            }
        }
        finally
        {
            await ticks.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    /// <summary>
    /// Mints, in one server call, the WITs that <paramref name="required"/> entries lack (or have expired), that
    /// subscribers lack, and the rotations that are due; drops idle WITs that are due. Mints are serialised. Returns the
    /// per-entry failures.
    /// </summary>
    /// <exception cref="SpireServerException">The signing call failed.</exception>
    public async Task<IReadOnlyDictionary<string, string>> MintAsync(IReadOnlyList<RegistrationEntry> required, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(required);
        await _mintGate.WaitAsync(cancellationToken);
        try
        {
            List<(RegistrationEntry Entry, bool Rotation)> candidates;
            lock (_lock)
            {
                candidates = SelectCandidates(required, _timeProvider.GetUtcNow());
            }

            var errors = new Dictionary<string, string>(StringComparer.Ordinal);
            if (candidates.Count == 0)
            {
                return errors;
            }

            var keys = candidates.Select(_ => _options.CreateKey()).ToList();
            var requests = candidates
                .Select((c, i) => new WitSvidMintRequest(c.Entry.Id, keys[i].ExportSubjectPublicKeyInfo(), _options.SigningAlgorithm))
                .ToList();
            IReadOnlyList<WitSvidMintResult> results;
            try
            {
                results = await _signer.BatchNewWitSvidAsync(requests, cancellationToken);
            }
            catch
            {
                keys.ForEach(k => k.Dispose());
                foreach (var candidate in candidates)
                {
                    RecordMint(candidate.Rotation, success: false);
                }

                throw;
            }

            var minted = new List<WitCredential>(candidates.Count);
            for (var i = 0; i < candidates.Count; i++)
            {
                var (entry, rotation) = candidates[i];
                var result = i < results.Count ? results[i] : new WitSvidMintResult(entry.Id, null, "no result returned");
                var (credential, error) = await AcceptAsync(entry, keys[i], result, cancellationToken);
                RecordMint(rotation, credential is not null);
                if (credential is null)
                {
                    keys[i].Dispose();
                    errors[entry.Id] = error!;
                    WitLog.WitSvidRejected(_logger, entry.Id, error!);
                    continue;
                }

                minted.Add(credential);
                WitLog.WitSvidMinted(_logger, entry.Id, credential.Svid.Id, credential.Svid.Expiry, rotation);
            }

            Store(minted);
            return errors;
        }
        finally
        {
            _mintGate.Release();
        }
    }

    /// <summary>Ends every subscription normally (agent shutdown), frees every key and refuses new subscriptions.</summary>
    public void Dispose()
    {
        _identities.Changed -= Wake;
        lock (_lock)
        {
            _disposed = true;
            foreach (var subscription in _subscriptions)
            {
                subscription.Complete();
            }

            _subscriptions.Clear();
            foreach (var slot in _slots.Values)
            {
                slot.Credential.Dispose();
            }

            _slots.Clear();
        }

        _wakeUps.Writer.TryComplete();
        _mintGate.Dispose();
    }

    /// <summary>Removes a subscription (called by its Dispose).</summary>
    internal void Unsubscribe(WitSubscription subscription)
    {
        lock (_lock)
        {
            _subscriptions.Remove(subscription);
        }
    }

    private static string? TaskIdOf(RegistrationEntry entry) =>
        entry.Selectors.Select(TaskSelectors.TaskIdOf).OfType<string>().FirstOrDefault();

    private void Wake() => _wakeUps.Writer.TryWrite(true);

    private async Task TickAsync(PeriodicTimer timer, CancellationToken cancellationToken)
    {
        while (await timer.WaitForNextTickAsync(cancellationToken))
        {
            Wake();
        }
    }

    private void RecordMint(bool rotation, bool success) => _mints.Add(
        1,
        new KeyValuePair<string, object?>("reason", rotation ? "rotation" : "new"),
        new KeyValuePair<string, object?>("result", success ? "success" : "failure"));

    /// <summary>The credentials of all <paramref name="entries"/> when each has an unexpired one (marked used), else null.</summary>
    private List<WitIdentity>? TryCollect(IReadOnlyList<RegistrationEntry> entries)
    {
        var now = _timeProvider.GetUtcNow();
        lock (_lock)
        {
            var identities = new List<WitIdentity>(entries.Count);
            foreach (var entry in entries)
            {
                if (!_slots.TryGetValue(entry.Id, out var slot) || slot.Credential.Svid.Id != entry.SpiffeId || slot.Credential.Svid.Expiry <= now)
                {
                    return null;
                }

                identities.Add(new WitIdentity(entry, slot.Credential));
            }

            foreach (var entry in entries)
            {
                _slots[entry.Id].UsedSinceMint = true;
            }

            return identities;
        }
    }

    /// <summary>Checks a server answer and, for a task, records its <c>jti</c>; returns the credential or why not.</summary>
    private async Task<(WitCredential? Credential, string? Error)> AcceptAsync(
        RegistrationEntry entry, AsymmetricAlgorithm key, WitSvidMintResult result, CancellationToken cancellationToken)
    {
        if (result.Token is null)
        {
            return (null, result.Error ?? "no token returned");
        }

        var now = _timeProvider.GetUtcNow();
        WitSvid svid;
        try
        {
            svid = WitSvid.ParseInsecure(result.Token, now, entry.Hint);
        }
        catch (WitSvidException ex)
        {
            return (null, "not a valid WIT-SVID: " + ex.Message);
        }

        if (svid.Id != entry.SpiffeId)
        {
            return (null, $"the WIT-SVID is for {svid.Id}, expected {entry.SpiffeId}");
        }

        if (!string.Equals(svid.ConfirmationKey.Algorithm, _options.SigningAlgorithm, StringComparison.Ordinal) || !svid.ConfirmationKey.Matches(key))
        {
            return (null, "the WIT-SVID does not bind the agent's key with the requested algorithm");
        }

        if (entry.Outlives(svid.Expiry))
        {
            return (null, $"the WIT-SVID expires at {svid.Expiry:O}, after its entry ({entry.ExpiresAt:O})");
        }

        var taskId = TaskIdOf(entry);
        if (taskId is not null)
        {
            if (_tasks?.Find(taskId) is { } task && svid.Expiry > task.Deadline)
            {
                return (null, $"the WIT-SVID expires at {svid.Expiry:O}, after the deadline of task {taskId} ({task.Deadline:O})");
            }

            if (svid.Jti is null)
            {
                return (null, $"the WIT-SVID of task {taskId} has no jti, so it could not be revoked");
            }

            if (_recorder is not null && !await _recorder.RecordJwtAsync(taskId, svid.Jti, svid.Expiry, cancellationToken))
            {
                return (null, $"task {taskId} has ended");
            }
        }

        return (new WitCredential(entry.Id, entry.RevisionNumber, svid, key, now, taskId), null);
    }

    /// <summary>What to mint now (and drops idle WITs that are due). Under the lock.</summary>
    private List<(RegistrationEntry Entry, bool Rotation)> SelectCandidates(IReadOnlyList<RegistrationEntry> required, DateTimeOffset now)
    {
        var entries = _identities.GetEntries();
        var subscribed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var subscription in _subscriptions.Where(s => s.WithSvids))
        {
            subscribed.UnionWith(subscription.MatchedEntryIds);
        }

        var candidates = new List<(RegistrationEntry, bool)>();
        var requiredIds = required.Select(e => e.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var (id, slot) in _slots.OrderBy(kv => kv.Key, StringComparer.Ordinal).ToList())
        {
            if (!entries.TryGetValue(id, out var entry))
            {
                continue;
            }

            var svid = slot.Credential.Svid;
            var changed = entry.RevisionNumber != slot.Credential.EntryRevision;
            var capped = entry.ExpiresAt is { } end && svid.Expiry >= end && svid.Expiry > now;
            var due = changed || (!capped && RotationPolicy.ShouldRotate(now, svid.IssuedAt ?? slot.Credential.MintedAt, svid.Expiry, _random));
            if (requiredIds.Contains(id) && svid.Expiry <= now)
            {
                due = true;
            }

            if (!due)
            {
                continue;
            }

            if (subscribed.Contains(id) || slot.UsedSinceMint || requiredIds.Contains(id))
            {
                candidates.Add((entry, true));
            }
            else
            {
                _slots.Remove(id);
                slot.Credential.Dispose();
                WitLog.WitSvidDropped(_logger, id, "idle since its last rotation");
            }
        }

        foreach (var entry in required.Where(e => !_slots.ContainsKey(e.Id)))
        {
            candidates.Add((entry, false));
        }

        foreach (var id in subscribed.Where(id => !_slots.ContainsKey(id) && !requiredIds.Contains(id)).Order(StringComparer.Ordinal))
        {
            if (entries.TryGetValue(id, out var entry))
            {
                candidates.Add((entry, false));
            }
        }

        return candidates;
    }

    /// <summary>Stores fresh credentials (dropped when their entry is gone or its SPIFFE ID changed) and refreshes subscribers.</summary>
    private void Store(List<WitCredential> minted)
    {
        var entries = _identities.GetEntries();
        lock (_lock)
        {
            foreach (var credential in minted)
            {
                if (_disposed || !entries.TryGetValue(credential.EntryId, out var entry) || entry.SpiffeId != credential.Svid.Id)
                {
                    credential.Dispose();
                    continue;
                }

                if (_slots.Remove(credential.EntryId, out var old))
                {
                    old.Credential.Dispose();
                }

                _slots[credential.EntryId] = new Slot(credential);
            }

            RefreshAll();
        }
    }

    /// <summary>Drops the WITs whose entry is gone or names another SPIFFE ID, then refreshes subscribers.</summary>
    private void RemoveStale()
    {
        var entries = _identities.GetEntries();
        lock (_lock)
        {
            foreach (var (id, slot) in _slots.ToList())
            {
                if (!entries.TryGetValue(id, out var entry) || entry.SpiffeId != slot.Credential.Svid.Id)
                {
                    _slots.Remove(id);
                    slot.Credential.Dispose();
                    WitLog.WitSvidDropped(_logger, id, "its entry was removed or changed its SPIFFE ID");
                }
            }

            RefreshAll();
        }
    }

    private void RefreshAll()
    {
        foreach (var subscription in _subscriptions)
        {
            Refresh(subscription);
        }
    }

    /// <summary>Publishes a subscriber's state when it changed (bundles-only subscribers get every refresh). Under the lock.</summary>
    private void Refresh(WitSubscription subscription)
    {
        var entries = _identities.MatchEntries(subscription.Selectors);
        subscription.MatchedEntryIds = entries.Select(e => e.Id).ToHashSet(StringComparer.Ordinal);
        var bundles = _identities.GetWitBundles(subscription.Selectors);
        if (!subscription.WithSvids)
        {
            subscription.Publish(new WitUpdate { Identities = [], Entries = entries, Bundles = bundles }, []);
            return;
        }

        var identities = new List<WitIdentity>(entries.Count);
        var fingerprint = new List<object>(entries.Count * 2);
        foreach (var entry in entries)
        {
            if (_slots.TryGetValue(entry.Id, out var slot) && slot.Credential.Svid.Id == entry.SpiffeId)
            {
                identities.Add(new WitIdentity(entry, slot.Credential));
                fingerprint.Add(entry);
                fingerprint.Add(slot.Credential);
            }
        }

        if (!subscription.HasPublished && identities.Count < entries.Count)
        {
            return;
        }

        if (subscription.HasPublished && subscription.Fingerprint.SequenceEqual(fingerprint, ReferenceEqualityComparer.Instance))
        {
            return;
        }

        subscription.Publish(new WitUpdate { Identities = identities, Entries = entries, Bundles = bundles }, fingerprint);
    }

    /// <summary>A cached credential and whether a proof was made with it since it was minted.</summary>
    private sealed class Slot
    {
        public Slot(WitCredential credential) => Credential = credential;

        public WitCredential Credential { get; }

        public bool UsedSinceMint { get; set; }
    }
}
