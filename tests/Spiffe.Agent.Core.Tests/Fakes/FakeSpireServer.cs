using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Time.Testing;
using Spiffe.Agent.Core.Attestation;
using Spiffe.Agent.Core.Server;
using Spiffe.Agent.Core.Workload;
using Spiffe.Core;
using Spiffe.Testing;

namespace Spiffe.Agent.Core.Tests.Fakes;

/// <summary>
/// An in-process SPIRE server behind <see cref="ISpireServerClient"/>: a test CA signs real agent and workload SVIDs
/// with the requested keys, entries and bundles are plain collections, and every call can be made to fail.
/// </summary>
internal sealed class FakeSpireServer : ISpireServerClient
{
    private readonly FakeTimeProvider _time;
    private readonly Dictionary<string, RegistrationEntry> _entries = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Queue<Exception>> _failures = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _calls = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private int _tokens;

    public FakeSpireServer(FakeTimeProvider time, TrustDomain trustDomain)
    {
        _time = time;
        TrustDomain = trustDomain;
        Ca = TestCa.CreateRoot(trustDomain, time.GetUtcNow(), new TestCertificateOptions { NotAfter = time.GetUtcNow().AddYears(1) });
        JwtSigner = new TestJwtSigner(trustDomain, "jwt-key-1");
        OwnBundle = new ServerBundle(Ca.CreateX509Bundle(), JwtSigner.CreateJwtBundle(), 1);
    }

    public TrustDomain TrustDomain { get; }

    public TestCa Ca { get; }

    public TestJwtSigner JwtSigner { get; }

    public ServerBundle OwnBundle { get; set; }

    public Dictionary<TrustDomain, ServerBundle> FederatedBundles { get; } = [];

    public TimeSpan AgentSvidTtl { get; set; } = TimeSpan.FromHours(1);

    public TimeSpan X509SvidTtl { get; set; } = TimeSpan.FromHours(1);

    public TimeSpan JwtSvidTtl { get; set; } = TimeSpan.FromMinutes(5);

    public bool Reattestable { get; set; }

    /// <summary>When set, every call fails with Unavailable.</summary>
    public bool Unreachable { get; set; }

    /// <summary>Entry IDs the server refuses to sign for.</summary>
    public HashSet<string> RefusedEntries { get; } = new(StringComparer.Ordinal);

    public List<NodeAttestationParameters> Attestations { get; } = [];

    public List<IReadOnlyList<X509SvidMintRequest>> MintBatches { get; } = [];

    public List<string> PostedVersions { get; } = [];

    public static SpireServerException PermissionDenied(PermissionDeniedReason reason) =>
        new(ServerStatusCode.PermissionDenied, "denied: " + reason, reason);

    public static SpireServerException Unavailable() => new(ServerStatusCode.Unavailable, "server unavailable");

    public static RegistrationEntry Entry(string id, string spiffeId, params string[] selectors) => new()
    {
        Id = id,
        SpiffeId = SpiffeId.Parse(spiffeId),
        Selectors = SelectorSet.Create(selectors.Select(Selector.Parse)),
        CreatedAt = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000),
        RevisionNumber = 1,
    };

    public int Calls(string method)
    {
        lock (_lock)
        {
            return _calls.GetValueOrDefault(method);
        }
    }

    public void FailNext(string method, Exception error)
    {
        lock (_lock)
        {
            if (!_failures.TryGetValue(method, out var queue))
            {
                queue = new Queue<Exception>();
                _failures[method] = queue;
            }

            queue.Enqueue(error);
        }
    }

    public void SetEntry(RegistrationEntry entry)
    {
        lock (_lock)
        {
            _entries[entry.Id] = entry;
        }
    }

    public void RemoveEntry(string id)
    {
        lock (_lock)
        {
            _entries.Remove(id);
        }
    }

    public Task<AgentAttestationResult> AttestAgentAsync(NodeAttestationParameters attestation, ECDsa agentKey, CancellationToken cancellationToken)
    {
        Enter(nameof(AttestAgentAsync));
        Attestations.Add(attestation);
        var id = SpiffeId.FromPath(TrustDomain, "/spire/agent/test/node-1");
        return Task.FromResult(new AgentAttestationResult(IssueChain(id, agentKey, AgentSvidTtl), Reattestable, OwnBundle));
    }

    public Task<IReadOnlyList<X509Certificate2>> RenewAgentAsync(ECDsa newAgentKey, CancellationToken cancellationToken)
    {
        Enter(nameof(RenewAgentAsync));
        var id = SpiffeId.FromPath(TrustDomain, "/spire/agent/test/node-1");
        return Task.FromResult(IssueChain(id, newAgentKey, AgentSvidTtl));
    }

    public Task PostStatusAsync(string agentVersion, CancellationToken cancellationToken)
    {
        Enter(nameof(PostStatusAsync));
        PostedVersions.Add(agentVersion);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<RegistrationEntry>> GetAuthorizedEntriesAsync(
        IReadOnlyDictionary<string, RegistrationEntry> cachedEntries,
        CancellationToken cancellationToken)
    {
        Enter(nameof(GetAuthorizedEntriesAsync));
        lock (_lock)
        {
            IReadOnlyList<RegistrationEntry> result = _entries.Values
                .Select(e => cachedEntries.TryGetValue(e.Id, out var cached) && cached.IsSameRevision(e) ? cached : e)
                .OrderBy(e => e.Id, StringComparer.Ordinal)
                .ToList();
            return Task.FromResult(result);
        }
    }

    public Task<ServerBundle> GetBundleAsync(CancellationToken cancellationToken)
    {
        Enter(nameof(GetBundleAsync));
        return Task.FromResult(OwnBundle);
    }

    public Task<ServerBundle?> GetFederatedBundleAsync(TrustDomain trustDomain, CancellationToken cancellationToken)
    {
        Enter(nameof(GetFederatedBundleAsync));
        return Task.FromResult(FederatedBundles.GetValueOrDefault(trustDomain));
    }

    public Task<IReadOnlyList<X509SvidMintResult>> BatchNewX509SvidAsync(IReadOnlyList<X509SvidMintRequest> requests, CancellationToken cancellationToken)
    {
        Enter(nameof(BatchNewX509SvidAsync));
        MintBatches.Add(requests);
        IReadOnlyList<X509SvidMintResult> results = requests
            .Select(r => RefusedEntries.Contains(r.EntryId)
                ? new X509SvidMintResult(r.EntryId, null, "NotFound: entry not found or not authorized")
                : new X509SvidMintResult(r.EntryId, IssueChain(r.SpiffeId, r.PrivateKey, X509SvidTtl), null))
            .ToList();
        return Task.FromResult(results);
    }

    public Task<IssuedJwtSvid> NewJwtSvidAsync(RegistrationEntry entry, IReadOnlyList<string> audiences, CancellationToken cancellationToken)
    {
        Enter(nameof(NewJwtSvidAsync));
        var now = _time.GetUtcNow();
        var token = $"token-{Interlocked.Increment(ref _tokens)}";
        return Task.FromResult(new IssuedJwtSvid(entry.Id, entry.SpiffeId, token, entry.Hint, now, now + JwtSvidTtl));
    }

    private IReadOnlyList<X509Certificate2> IssueChain(SpiffeId id, AsymmetricAlgorithm key, TimeSpan ttl)
    {
        var now = _time.GetUtcNow();
        var svid = Ca.IssueX509Svid(id, new TestCertificateOptions
        {
            CertificatePublicKey = new PublicKey(key),
            Key = key,
            NotBefore = now,
            NotAfter = now + ttl,
        });
        return svid.Certificates;
    }

    private void Enter(string method)
    {
        lock (_lock)
        {
            _calls[method] = _calls.GetValueOrDefault(method) + 1;
            if (Unreachable)
            {
                throw Unavailable();
            }

            if (_failures.TryGetValue(method, out var queue) && queue.TryDequeue(out var error))
            {
                throw error;
            }
        }
    }
}
