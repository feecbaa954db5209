using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Spiffe.Agent.Core.Cache;
using Spiffe.Agent.Core.Node;
using Spiffe.Agent.Core.Server;
using Spiffe.Agent.Core.Workload;
using Spiffe.Core;

namespace Spiffe.Agent.Core.Sync;

/// <summary>
/// One round of synchronisation with the server: authorised entries (revision-diffed by the client), the own bundle
/// and the federated bundles the entries reference, then X509-SVIDs for entries that need them. Minting is
/// serialised, so the periodic round and on-demand mints for new subscribers never sign the same entry twice at once.
/// </summary>
internal sealed class EntrySynchronizer : IDisposable
{
    private const int MaxConcurrentBundleFetches = 10;

    private readonly AgentOptions _options;
    private readonly ISpireServerClient _client;
    private readonly WorkloadIdentityCache _cache;
    private readonly NodeSvidManager _node;
    private readonly TimeProvider _timeProvider;
    private readonly Random _random;
    private readonly AgentMetrics _metrics;
    private readonly ILogger<EntrySynchronizer> _logger;
    private readonly SemaphoreSlim _mintGate = new(1, 1);
    private readonly SemaphoreSlim _syncGate = new(1, 1);

    /// <summary>Creates the synchronizer.</summary>
    public EntrySynchronizer(
        AgentOptions options,
        ISpireServerClient client,
        WorkloadIdentityCache cache,
        NodeSvidManager node,
        TimeProvider timeProvider,
        Random random,
        AgentMetrics metrics,
        ILogger<EntrySynchronizer> logger)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _client = client ?? throw new ArgumentNullException(nameof(client));
        _cache = cache ?? throw new ArgumentNullException(nameof(cache));
        _node = node ?? throw new ArgumentNullException(nameof(node));
        _timeProvider = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        _random = random ?? throw new ArgumentNullException(nameof(random));
        _metrics = metrics ?? throw new ArgumentNullException(nameof(metrics));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    /// <summary>
    /// Runs a full round: entries, bundles, mints. Returns the entry changes. Rounds are serialised, so a round asked for
    /// out of turn (a new task entry) never has its result overwritten by an older one.
    /// </summary>
    /// <exception cref="SpireServerException">A server call failed; the cache keeps what it had.</exception>
    public async Task<EntryChanges> SyncAsync(CancellationToken cancellationToken)
    {
        await _syncGate.WaitAsync(cancellationToken);
        try
        {
            return await SyncLockedAsync(cancellationToken);
        }
        finally
        {
            _syncGate.Release();
        }
    }

    private async Task<EntryChanges> SyncLockedAsync(CancellationToken cancellationToken)
    {
        EntryChanges changes;
        try
        {
            var entries = await _client.GetAuthorizedEntriesAsync(_cache.GetEntries(), cancellationToken);
            var own = await _client.GetBundleAsync(cancellationToken);
            var federated = await FetchFederatedBundlesAsync(entries, cancellationToken);
            changes = _cache.UpdateEntries(entries);
            foreach (var trustDomain in _cache.UpdateBundles(own, federated))
            {
                AgentCoreLog.BundleUpdated(_logger, trustDomain);
            }

            _node.UpdateTrustBundle(own.X509);
        }
        catch (SpireServerException)
        {
            _metrics.RecordSync(success: false);
            throw;
        }

        _metrics.RecordSync(success: true);
        AgentCoreLog.EntriesUpdated(_logger, changes.Total, changes.Added, changes.Changed, changes.Removed);
        await MintAsync(cancellationToken);
        return changes;
    }

    /// <summary>Mints the X509-SVIDs the cache asks for (missing for subscribers, stale, prefetch).</summary>
    /// <exception cref="SpireServerException">The signing call failed.</exception>
    public async Task MintAsync(CancellationToken cancellationToken)
    {
        await _mintGate.WaitAsync(cancellationToken);
        try
        {
            var candidates = _cache.SelectEntriesToMint(_timeProvider.GetUtcNow(), _random);
            if (candidates.Count == 0)
            {
                return;
            }

            var requests = candidates.Select(c => new X509SvidMintRequest(c.Entry.Id, c.Entry.SpiffeId, CreateKey())).ToList();
            IReadOnlyList<X509SvidMintResult> results;
            try
            {
                results = await _client.BatchNewX509SvidAsync(requests, cancellationToken);
            }
            catch
            {
                DisposeKeys(requests);
                throw;
            }

            var minted = new List<(RegistrationEntry, X509Svid)>(results.Count);
            for (var i = 0; i < results.Count; i++)
            {
                var candidate = candidates[i];
                var svid = ToSvid(candidate.Entry, requests[i].PrivateKey, results[i]);
                _metrics.RecordX509SvidMint(candidate.IsRotation, svid is not null);
                if (svid is not null)
                {
                    minted.Add((candidate.Entry, svid));
                    AgentCoreLog.X509SvidMinted(_logger, candidate.Entry.Id, svid.Id, svid.Certificates[0].NotAfter);
                }
            }

            DisposeKeys(requests);
            _cache.StoreSvids(minted);
        }
        finally
        {
            _mintGate.Release();
        }
    }

    /// <summary>Releases the locks.</summary>
    public void Dispose()
    {
        _mintGate.Dispose();
        _syncGate.Dispose();
    }

    private static void DisposeKeys(IEnumerable<X509SvidMintRequest> requests)
    {
        foreach (var request in requests)
        {
            request.PrivateKey.Dispose();
        }
    }

    private async Task<IReadOnlyList<ServerBundle>> FetchFederatedBundlesAsync(
        IReadOnlyList<RegistrationEntry> entries,
        CancellationToken cancellationToken)
    {
        var trustDomains = entries.SelectMany(e => e.FederatesWith)
            .Where(td => td != _options.TrustDomain)
            .Distinct()
            .ToList();
        var bundles = new ServerBundle?[trustDomains.Count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, trustDomains.Count),
            new ParallelOptions { MaxDegreeOfParallelism = MaxConcurrentBundleFetches, CancellationToken = cancellationToken },
            async (index, token) => bundles[index] = await _client.GetFederatedBundleAsync(trustDomains[index], token));
        return bundles.OfType<ServerBundle>().ToList();
    }

    private AsymmetricAlgorithm CreateKey() => _options.WorkloadX509SvidKeyType switch
    {
        WorkloadKeyType.EcP384 => ECDsa.Create(ECCurve.NamedCurves.nistP384),
        WorkloadKeyType.Rsa2048 => RSA.Create(2048),
        _ => ECDsa.Create(ECCurve.NamedCurves.nistP256),
    };

    private X509Svid? ToSvid(RegistrationEntry entry, AsymmetricAlgorithm key, X509SvidMintResult result)
    {
        if (result.Chain is null)
        {
            AgentCoreLog.X509SvidRejected(_logger, entry.Id, result.Error ?? "no certificate returned");
            return null;
        }

        try
        {
            var der = result.Chain.SelectMany(c => c.RawData).ToArray();
            var svid = X509Svid.ParseRaw(der, key.ExportPkcs8PrivateKey(), entry.Hint);
            if (svid.Id != entry.SpiffeId)
            {
                AgentCoreLog.X509SvidRejected(_logger, entry.Id, $"the SVID is for {svid.Id}, expected {entry.SpiffeId}");
            }
            else if (entry.Outlives(svid.Certificates[0].NotAfter))
            {
                AgentCoreLog.X509SvidRejected(_logger, entry.Id, $"the SVID expires at {svid.Certificates[0].NotAfter:O}, after its entry ({entry.ExpiresAt:O})");
            }
            else
            {
                return svid;
            }
        }
        catch (X509SvidException ex)
        {
            AgentCoreLog.X509SvidRejected(_logger, entry.Id, ex.Message);
        }

        return null;
    }
}
