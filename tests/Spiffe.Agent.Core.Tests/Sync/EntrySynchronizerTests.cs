using System.Diagnostics.Metrics;
using Spiffe.Agent.Core.Attestation;
using Spiffe.Agent.Core.Server;
using Spiffe.Agent.Core.Tests.Fakes;
using Spiffe.Core;
using Spiffe.Testing;

namespace Spiffe.Agent.Core.Tests.Sync;

[TestFixture]
public sealed class EntrySynchronizerTests
{
    private static readonly SelectorSet Workload = SelectorSet.Create([Selector.Parse("unix:uid:1000")]);

    private AgentHarness _agent = null!;

    [SetUp]
    public async Task SetUp()
    {
        _agent = AgentHarness.Create();
        await _agent.Node.InitializeAsync(CancellationToken.None).DefaultTimeout();
    }

    [TearDown]
    public void TearDown() => _agent.Dispose();

    [Test]
    public async Task SyncAsync_NewEntries_CachesAndMintsThem()
    {
        // Arrange
        _agent.Server.SetEntry(FakeSpireServer.Entry("e1", "spiffe://example.org/web", "unix:uid:1000"));
        _agent.Server.SetEntry(FakeSpireServer.Entry("e2", "spiffe://example.org/db", "unix:uid:999"));

        // Act
        var changes = await _agent.Sync.SyncAsync(CancellationToken.None).DefaultTimeout();

        // Assert
        Assert.That(changes, Is.EqualTo(new Spiffe.Agent.Core.Cache.EntryChanges(2, 2, 0, 0)));
        Assert.That(_agent.Cache.X509SvidCount, Is.EqualTo(2));
        Assert.That(_agent.Server.MintBatches.Single().Select(r => r.EntryId), Is.EqualTo(new[] { "e1", "e2" }));
        using var subscription = _agent.Cache.Subscribe(Workload);
        Assert.That(subscription.Updates.TryRead(out var update), Is.True);
        Assert.That(update!.Identities.Single().Svid.Id, Is.EqualTo(SpiffeId.Parse("spiffe://example.org/web")));
        Assert.That(update.Identities.Single().Svid.Certificates[0].NotAfter, Is.EqualTo(_agent.Time.GetUtcNow().AddHours(1).UtcDateTime).Within(TimeSpan.FromSeconds(1)));
    }

    [Test]
    public async Task SyncAsync_Unchanged_DoesNotMintOrNotifyAgain()
    {
        // Arrange
        _agent.Server.SetEntry(FakeSpireServer.Entry("e1", "spiffe://example.org/web", "unix:uid:1000"));
        await _agent.Sync.SyncAsync(CancellationToken.None).DefaultTimeout();
        using var subscription = _agent.Cache.Subscribe(Workload);
        subscription.Updates.TryRead(out _);
        _agent.Time.Advance(TimeSpan.FromSeconds(5));

        // Act
        var changes = await _agent.Sync.SyncAsync(CancellationToken.None).DefaultTimeout();

        // Assert
        Assert.That(changes, Is.EqualTo(new Spiffe.Agent.Core.Cache.EntryChanges(1, 0, 0, 0)));
        Assert.That(_agent.Server.MintBatches, Has.Count.EqualTo(1));
        Assert.That(subscription.Updates.TryRead(out _), Is.False);
    }

    [Test]
    public async Task SyncAsync_EntryChangedAndEntryDeletedOnServer_ReMintsAndDrops()
    {
        // Arrange
        var web = FakeSpireServer.Entry("e1", "spiffe://example.org/web", "unix:uid:1000");
        _agent.Server.SetEntry(web);
        _agent.Server.SetEntry(FakeSpireServer.Entry("e2", "spiffe://example.org/db", "unix:uid:1000"));
        await _agent.Sync.SyncAsync(CancellationToken.None).DefaultTimeout();
        using var subscription = _agent.Cache.Subscribe(Workload);
        subscription.Updates.TryRead(out _);

        // Act
        _agent.Server.SetEntry(web with { RevisionNumber = 2, Hint = "web" });
        _agent.Server.RemoveEntry("e2");
        var changes = await _agent.Sync.SyncAsync(CancellationToken.None).DefaultTimeout();

        // Assert
        Assert.That(changes, Is.EqualTo(new Spiffe.Agent.Core.Cache.EntryChanges(1, 0, 1, 1)));
        Assert.That(_agent.Server.MintBatches[1].Single().EntryId, Is.EqualTo("e1"));
        Assert.That(subscription.Updates.TryRead(out var update), Is.True);
        Assert.That(update!.Identities.Single().Entry.Hint, Is.EqualTo("web"));
        Assert.That(update.Identities.Single().Svid.Hint, Is.EqualTo("web"));
    }

    [Test]
    public async Task SyncAsync_RefusedEntry_IsRetriedOnTheNextRound()
    {
        // Arrange
        _agent.Server.SetEntry(FakeSpireServer.Entry("e1", "spiffe://example.org/web", "unix:uid:1000"));
        _agent.Server.RefusedEntries.Add("e1");
        await _agent.Sync.SyncAsync(CancellationToken.None).DefaultTimeout();
        _agent.Server.RefusedEntries.Clear();

        // Act
        await _agent.Sync.SyncAsync(CancellationToken.None).DefaultTimeout();

        // Assert
        Assert.That(_agent.Server.MintBatches, Has.Count.EqualTo(2));
        Assert.That(_agent.Cache.X509SvidCount, Is.EqualTo(1));
    }

    [Test]
    public async Task SyncAsync_FederatedBundles_FetchedOnlyForReferencedTrustDomains()
    {
        // Arrange
        var partner = TrustDomain.Parse("partner.org");
        var missing = TrustDomain.Parse("missing.org");
        var partnerCa = TestCa.CreateRoot(partner, AgentHarness.Start);
        _agent.Server.FederatedBundles[partner] = new ServerBundle(partnerCa.CreateX509Bundle(), new JwtBundle(partner, []), 1);
        _agent.Server.FederatedBundles[TrustDomain.Parse("unused.org")] = new ServerBundle(
            TestCa.CreateRoot(TrustDomain.Parse("unused.org"), AgentHarness.Start).CreateX509Bundle(), new JwtBundle(TrustDomain.Parse("unused.org"), []), 1);
        _agent.Server.SetEntry(FakeSpireServer.Entry("e1", "spiffe://example.org/web", "unix:uid:1000") with { FederatesWith = [partner, missing] });

        // Act
        await _agent.Sync.SyncAsync(CancellationToken.None).DefaultTimeout();

        // Assert
        Assert.That(_agent.Server.Calls(nameof(FakeSpireServer.GetFederatedBundleAsync)), Is.EqualTo(2));
        using var subscription = _agent.Cache.Subscribe(Workload);
        Assert.That(subscription.Updates.TryRead(out var update), Is.True);
        Assert.That(update!.FederatedX509Bundles.Bundles.Select(b => b.TrustDomain), Is.EqualTo(new[] { partner }));
    }

    [Test]
    public async Task SyncAsync_ServerUnreachable_ThrowsAndCachedSvidsAreStillServed()
    {
        // Arrange
        _agent.Server.SetEntry(FakeSpireServer.Entry("e1", "spiffe://example.org/web", "unix:uid:1000"));
        await _agent.Sync.SyncAsync(CancellationToken.None).DefaultTimeout();
        _agent.Server.Unreachable = true;

        // Act
        var error = Assert.ThrowsAsync<SpireServerException>(async () => await _agent.Sync.SyncAsync(CancellationToken.None).DefaultTimeout());

        // Assert
        Assert.That(error!.StatusCode, Is.EqualTo(ServerStatusCode.Unavailable));
        using var subscription = _agent.Cache.Subscribe(Workload);
        Assert.That(subscription.Updates.TryRead(out var update), Is.True);
        Assert.That(update!.Identities, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task SyncAsync_OwnBundleChanged_UpdatesServerTrustAndPersistsIt()
    {
        // Arrange
        var next = TestCa.CreateRoot(AgentHarness.TrustDomain, AgentHarness.Start);
        _agent.Server.OwnBundle = new ServerBundle(
            new X509Bundle(AgentHarness.TrustDomain, [_agent.Server.Ca.RootCertificate, next.RootCertificate]),
            _agent.Server.OwnBundle.Jwt,
            2);

        // Act
        await _agent.Sync.SyncAsync(CancellationToken.None).DefaultTimeout();

        // Assert
        Assert.That(_agent.Credentials.ServerTrustBundle!.X509Authorities, Has.Count.EqualTo(2));
        Assert.That(_agent.Store.Load().Bundle, Has.Count.EqualTo(2));
    }

    [Test]
    public async Task SyncAsync_Metrics_CountSyncsAndMints()
    {
        // Arrange
        var measurements = new List<(string Instrument, long Value, string Tags)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (ReferenceEquals(instrument.Meter, _agent.Metrics.Meter))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
            measurements.Add((instrument.Name, value, string.Join(",", tags.ToArray().Select(t => $"{t.Key}={t.Value}")))));
        listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) => measurements.Add((instrument.Name, value, string.Empty)));
        listener.Start();
        _agent.Server.SetEntry(FakeSpireServer.Entry("e1", "spiffe://example.org/web", "unix:uid:1000"));

        // Act
        await _agent.Sync.SyncAsync(CancellationToken.None).DefaultTimeout();
        listener.RecordObservableInstruments();

        // Assert
        Assert.That(measurements, Does.Contain(("spiffe.agent.sync.count", 1L, "result=success")));
        Assert.That(measurements, Does.Contain(("spiffe.agent.x509_svid.mints", 1L, "reason=new,result=success")));
        Assert.That(measurements, Does.Contain(("spiffe.agent.cache.x509_svids", 1L, string.Empty)));
    }
}
