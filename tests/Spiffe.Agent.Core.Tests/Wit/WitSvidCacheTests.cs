using Microsoft.Extensions.Logging.Abstractions;
using Spiffe.Agent.Core.Attestation;
using Spiffe.Agent.Core.Tasks;
using Spiffe.Agent.Core.Tests.Fakes;
using Spiffe.Agent.Core.Wit;
using Spiffe.Agent.Core.Workload;
using Spiffe.Core;

namespace Spiffe.Agent.Core.Tests.Wit;

[TestFixture]
public sealed class WitSvidCacheTests
{
    private static readonly SelectorSet Workload = SelectorSet.Create([new Selector("unix", "uid:1000")]);
    private static readonly SelectorSet TaskWorkload = SelectorSet.Create([new Selector("unix", "uid:1000"), TaskSelectors.Id("t1")]);

    private AgentHarness _agent = null!;
    private FakeWitSigner _signer = null!;
    private Recorder _recorder = null!;
    private WitSvidCache _cache = null!;

    [SetUp]
    public void SetUp()
    {
        _agent = AgentHarness.Create();
        _signer = new FakeWitSigner(_agent.Time, AgentHarness.TrustDomain);
        _agent.Cache.UpdateBundles(_agent.Server.OwnBundle with { Wit = _signer.Issuer.CreateWitBundle() }, []);
        _recorder = new Recorder();
        _cache = new WitSvidCache(
            _agent.Cache, _signer, new WitOptions(), _agent.Options, _agent.Time, _agent.Random, _agent.Metrics, NullLogger<WitSvidCache>.Instance, _recorder);
    }

    [TearDown]
    public void TearDown()
    {
        _cache.Dispose();
        _agent.Dispose();
    }

    [Test]
    public void IsEnabled_OwnBundleWithoutWitAuthorities_False()
    {
        // Act
        _agent.Cache.UpdateBundles(_agent.Server.OwnBundle, []);

        // Assert
        Assert.That(_cache.IsEnabled, Is.False);
    }

    [Test]
    public async Task GetIdentitiesAsync_FirstAsk_MintsAWitBindingAFreshAgentKey()
    {
        // Arrange
        AddEntry(Entry("e1", "/web"));

        // Act
        var identity = (await _cache.GetIdentitiesAsync(Workload, CancellationToken.None).DefaultTimeout()).Single();

        // Assert
        var request = _signer.Batches.Single().Single();
        Assert.That((request.EntryId, request.SigningAlgorithm), Is.EqualTo(("e1", "ES256")));
        Assert.That(identity.Credential.Svid.Id.ToString(), Is.EqualTo("spiffe://example.org/web"));
        using var key = WitSvid.ParsePrivateKey(identity.Credential.ExportPrivateKey());
        Assert.That(identity.Credential.Svid.ConfirmationKey.Matches(key), Is.True);
        Assert.That(_cache.IsEnabled, Is.True);
    }

    [Test]
    public async Task GetIdentitiesAsync_AskedAgain_ServedFromTheCache()
    {
        // Arrange
        AddEntry(Entry("e1", "/web"));
        var first = await _cache.GetIdentitiesAsync(Workload, CancellationToken.None).DefaultTimeout();

        // Act
        var second = await _cache.GetIdentitiesAsync(Workload, CancellationToken.None).DefaultTimeout();

        // Assert
        Assert.That(second.Single().Credential, Is.SameAs(first.Single().Credential));
        Assert.That(_signer.Batches, Has.Count.EqualTo(1));
    }

    [Test]
    public void GetIdentitiesAsync_ServerSignsAnotherSubject_RefusedAndNotCached()
    {
        // Arrange
        AddEntry(Entry("e1", "/web"));
        _signer.SubjectOverride = SpiffeId.Parse("spiffe://example.org/admin");

        // Act
        var ex = Assert.ThrowsAsync<WitSvidUnavailableException>(() => _cache.GetIdentitiesAsync(Workload, CancellationToken.None).DefaultTimeout());

        // Assert
        Assert.That(ex!.Message, Does.Contain("is for spiffe://example.org/admin"));
        Assert.That(_cache.Count, Is.Zero);
    }

    [Test]
    public void GetIdentitiesAsync_WitOutlivesTheEntry_Refused()
    {
        // Arrange
        AddEntry(Entry("e1", "/web") with { ExpiresAt = _agent.Time.GetUtcNow().AddMinutes(1) });

        // Act
        var ex = Assert.ThrowsAsync<WitSvidUnavailableException>(() => _cache.GetIdentitiesAsync(Workload, CancellationToken.None).DefaultTimeout());

        // Assert
        Assert.That(ex!.Message, Does.Contain("after its entry"));
    }

    [Test]
    public async Task GetIdentitiesAsync_TaskEntry_JtiRecordedWithTheTask()
    {
        // Arrange
        AddEntry(Entry("e1", "/task/t1", TaskSelectors.Id("t1")));

        // Act
        var identity = (await _cache.GetIdentitiesAsync(TaskWorkload, CancellationToken.None).DefaultTimeout()).Single();

        // Assert
        Assert.That(_recorder.Recorded.Single(), Is.EqualTo(("t1", identity.Credential.Svid.Jti, identity.Credential.Svid.Expiry)));
        Assert.That(identity.Credential.TaskId, Is.EqualTo("t1"));
    }

    [Test]
    public void GetIdentitiesAsync_TaskEnded_NoWit()
    {
        // Arrange
        AddEntry(Entry("e1", "/task/t1", TaskSelectors.Id("t1")));
        _recorder.TaskActive = false;

        // Act
        var ex = Assert.ThrowsAsync<WitSvidUnavailableException>(() => _cache.GetIdentitiesAsync(TaskWorkload, CancellationToken.None).DefaultTimeout());

        // Assert
        Assert.That(ex!.Message, Does.Contain("task t1 has ended"));
        Assert.That(_cache.Count, Is.Zero);
    }

    [Test]
    public void GetIdentitiesAsync_TaskWitWithoutJti_Refused()
    {
        // Arrange
        AddEntry(Entry("e1", "/task/t1", TaskSelectors.Id("t1")));
        _signer.IncludeJti = false;

        // Act
        var ex = Assert.ThrowsAsync<WitSvidUnavailableException>(() => _cache.GetIdentitiesAsync(TaskWorkload, CancellationToken.None).DefaultTimeout());

        // Assert
        Assert.That(ex!.Message, Does.Contain("has no jti"));
        Assert.That(_recorder.Recorded, Is.Empty);
    }

    [Test]
    public async Task MintAsync_UsedWitPastHalfLife_RotatedWithANewKeyAndTheOldKeyFreed()
    {
        // Arrange
        AddEntry(Entry("e1", "/web"));
        var old = (await _cache.GetIdentitiesAsync(Workload, CancellationToken.None).DefaultTimeout()).Single().Credential;
        _agent.Time.Advance(TimeSpan.FromMinutes(3));

        // Act
        await _cache.MintAsync([], CancellationToken.None).DefaultTimeout();

        // Assert
        var current = (await _cache.GetIdentitiesAsync(Workload, CancellationToken.None).DefaultTimeout()).Single().Credential;
        Assert.That(current, Is.Not.SameAs(old));
        Assert.That(current.Svid.ConfirmationKey.Jwk, Is.Not.EqualTo(old.Svid.ConfirmationKey.Jwk));
        Assert.That(() => old.ExportPrivateKey(), Throws.TypeOf<ObjectDisposedException>());
    }

    [Test]
    public async Task MintAsync_IdleWitPastHalfLife_DroppedNotRotated()
    {
        // Arrange
        AddEntry(Entry("e1", "/web"));
        await _cache.GetIdentitiesAsync(Workload, CancellationToken.None).DefaultTimeout();
        _agent.Time.Advance(TimeSpan.FromMinutes(3));
        await _cache.MintAsync([], CancellationToken.None).DefaultTimeout();
        _agent.Time.Advance(TimeSpan.FromMinutes(3));

        // Act
        await _cache.MintAsync([], CancellationToken.None).DefaultTimeout();

        // Assert
        Assert.That(_cache.Count, Is.Zero);
        Assert.That(_signer.Batches, Has.Count.EqualTo(2));
    }

    [Test]
    public async Task MintAsync_WitAlreadyExpiringWithItsEntry_NotRotated()
    {
        // Arrange
        AddEntry(Entry("e1", "/task/t1", TaskSelectors.Id("t1")) with { ExpiresAt = _agent.Time.GetUtcNow().AddMinutes(2) });
        _signer.Lifetime = TimeSpan.FromMinutes(2);
        await _cache.GetIdentitiesAsync(TaskWorkload, CancellationToken.None).DefaultTimeout();
        _agent.Time.Advance(TimeSpan.FromSeconds(90));

        // Act
        await _cache.MintAsync([], CancellationToken.None).DefaultTimeout();

        // Assert
        Assert.That(_signer.Batches, Has.Count.EqualTo(1));
        Assert.That(_cache.Count, Is.EqualTo(1));
    }

    [Test]
    public async Task Subscribe_WithSvids_FirstUpdateOnceMintedThenEmptyWhenTheEntryGoes()
    {
        // Arrange
        AddEntry(Entry("e1", "/web"));
        using var running = new CancellationTokenSource();
        var upkeep = _cache.RunAsync(running.Token);
        using var subscription = _cache.Subscribe(Workload, withSvids: true);

        // Act
        var first = await subscription.Updates.ReadAsync().AsTask().DefaultTimeout();
        _agent.Cache.UpdateEntries([]);
        var second = await subscription.Updates.ReadAsync().AsTask().DefaultTimeout();
        await running.CancelAsync();

        // Assert
        Assert.That(first.Identities.Single().Entry.Id, Is.EqualTo("e1"));
        Assert.That(second.Entries, Is.Empty);
        Assert.That(second.Identities, Is.Empty);
        Assert.That(() => first.Identities[0].Credential.ExportPrivateKey(), Throws.TypeOf<ObjectDisposedException>(), "the key is freed with its entry");
        Assert.That(() => upkeep.DefaultTimeout(), Throws.InstanceOf<OperationCanceledException>());
    }

    [Test]
    public void Subscribe_BundlesOnly_MintsNothing()
    {
        // Arrange
        AddEntry(Entry("e1", "/web"));

        // Act
        using var subscription = _cache.Subscribe(Workload, withSvids: false);

        // Assert
        Assert.That(subscription.Updates.TryRead(out var update), Is.True);
        Assert.That(update!.Entries.Single().Id, Is.EqualTo("e1"));
        Assert.That(update.Bundles.TryGetBundle(AgentHarness.TrustDomain, out var own) && own.WitAuthorities.Count == 1, Is.True);
        Assert.That(_signer.Batches, Is.Empty);
    }

    private static RegistrationEntry Entry(string id, string path, params Selector[] extra) => new()
    {
        Id = id,
        SpiffeId = SpiffeId.FromPath(AgentHarness.TrustDomain, path),
        Selectors = SelectorSet.Create([new Selector("unix", "uid:1000"), .. extra]),
    };

    private void AddEntry(RegistrationEntry entry)
    {
        _signer.Entries[entry.Id] = entry;
        _agent.Cache.UpdateEntries([.. _signer.Entries.Values]);
    }

    private sealed class Recorder : ITaskCredentialRecorder
    {
        public bool TaskActive { get; set; } = true;

        public List<(string TaskId, string? Jti, DateTimeOffset ExpiresAt)> Recorded { get; } = [];

        public Task<bool> RecordJwtAsync(string taskId, string jti, DateTimeOffset expiresAt, CancellationToken cancellationToken)
        {
            if (TaskActive)
            {
                Recorded.Add((taskId, jti, expiresAt));
            }

            return Task.FromResult(TaskActive);
        }

        public Task<bool> RecordX509Async(string taskId, string serialNumber, DateTimeOffset notAfter, CancellationToken cancellationToken) => Task.FromResult(TaskActive);
    }
}
