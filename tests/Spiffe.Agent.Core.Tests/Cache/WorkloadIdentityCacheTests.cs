using Spiffe.Agent.Core.Attestation;
using Spiffe.Agent.Core.Server;
using Spiffe.Agent.Core.Tests.Fakes;
using Spiffe.Agent.Core.Workload;
using Spiffe.Core;
using Spiffe.Testing;

namespace Spiffe.Agent.Core.Tests.Cache;

[TestFixture]
public sealed class WorkloadIdentityCacheTests
{
    private static readonly TrustDomain Federated = TrustDomain.Parse("partner.org");
    private static readonly SelectorSet WebWorkload = Selectors("unix:uid:1000", "unix:gid:1000", "docker:label:app:web");

    private AgentHarness _agent = null!;

    [SetUp]
    public void SetUp()
    {
        _agent = AgentHarness.Create();
        _agent.Cache.UpdateBundles(_agent.Server.OwnBundle, []);
    }

    [TearDown]
    public void TearDown() => _agent.Dispose();

    [Test]
    public void Subscribe_NoMatchingEntry_PublishesEmptyStateImmediately()
    {
        // Arrange
        _agent.Cache.UpdateEntries([FakeSpireServer.Entry("e1", "spiffe://example.org/db", "unix:uid:0")]);

        // Act
        using var subscription = _agent.Cache.Subscribe(WebWorkload);

        // Assert
        Assert.That(subscription.Updates.TryRead(out var update), Is.True);
        Assert.That(update!.Identities, Is.Empty);
        Assert.That(update.X509Bundle, Is.SameAs(_agent.Server.OwnBundle.X509));
        Assert.That(update.JwtBundle, Is.SameAs(_agent.Server.OwnBundle.Jwt));
    }

    [Test]
    public void Subscribe_MatchingEntryWithoutSvid_WaitsForTheMintAndRequestsIt()
    {
        // Arrange
        var web = FakeSpireServer.Entry("e1", "spiffe://example.org/web", "unix:uid:1000");
        var other = FakeSpireServer.Entry("e2", "spiffe://example.org/web-2", "docker:label:app:web");
        _agent.Cache.UpdateEntries([web, other]);
        _agent.Cache.StoreSvids([(web, Mint(web))]);

        // Act
        using var subscription = _agent.Cache.Subscribe(WebWorkload);
        var publishedBeforeMint = subscription.Updates.TryRead(out _);
        var mintRequested = _agent.Cache.WaitForMintRequestAsync(CancellationToken.None);
        _agent.Cache.StoreSvids([(other, Mint(other))]);

        // Assert
        Assert.That(publishedBeforeMint, Is.False);
        Assert.That(mintRequested.IsCompletedSuccessfully, Is.True);
        Assert.That(subscription.Updates.TryRead(out var update), Is.True);
        Assert.That(update!.Identities.Select(i => i.Entry.Id), Is.EqualTo(new[] { "e1", "e2" }));
    }

    [Test]
    public void Subscribe_EntrySelectorsMustBeASubsetOfTheWorkloads()
    {
        // Arrange
        var subset = FakeSpireServer.Entry("a", "spiffe://example.org/subset", "unix:uid:1000", "unix:gid:1000");
        var superset = FakeSpireServer.Entry("b", "spiffe://example.org/superset", "unix:uid:1000", "unix:gid:1000", "unix:user:root");
        var caseDiffers = FakeSpireServer.Entry("c", "spiffe://example.org/case", "unix:UID:1000");
        var noSelectors = FakeSpireServer.Entry("d", "spiffe://example.org/none") with { Selectors = SelectorSet.Empty };
        var storeSvid = FakeSpireServer.Entry("e", "spiffe://example.org/store", "unix:uid:1000") with { StoreSvid = true };
        var all = new[] { subset, superset, caseDiffers, noSelectors, storeSvid };
        _agent.Cache.UpdateEntries(all);
        _agent.Cache.StoreSvids(all.Select(e => (e, Mint(e))).ToList());

        // Act
        using var subscription = _agent.Cache.Subscribe(WebWorkload);

        // Assert
        Assert.That(subscription.Updates.TryRead(out var update), Is.True);
        Assert.That(update!.Identities.Select(i => i.Entry.Id), Is.EqualTo(new[] { "a" }));
    }

    [Test]
    public void Updates_SlowReader_SeesOnlyTheLatestState()
    {
        // Arrange
        var first = FakeSpireServer.Entry("e1", "spiffe://example.org/one", "unix:uid:1000");
        var second = FakeSpireServer.Entry("e2", "spiffe://example.org/two", "unix:uid:1000");
        _agent.Cache.UpdateEntries([first]);
        _agent.Cache.StoreSvids([(first, Mint(first))]);
        using var subscription = _agent.Cache.Subscribe(WebWorkload);

        // Act: two more changes while nobody reads
        _agent.Cache.UpdateEntries([first, second]);
        _agent.Cache.StoreSvids([(second, Mint(second))]);

        // Assert
        Assert.That(subscription.Updates.TryRead(out var update), Is.True);
        Assert.That(update!.Identities.Select(i => i.Entry.Id), Is.EqualTo(new[] { "e1", "e2" }));
        Assert.That(subscription.Updates.TryRead(out _), Is.False);
    }

    [Test]
    public void UpdateEntries_SameRevisionAgain_PublishesNothing()
    {
        // Arrange
        var entry = FakeSpireServer.Entry("e1", "spiffe://example.org/web", "unix:uid:1000");
        _agent.Cache.UpdateEntries([entry]);
        _agent.Cache.StoreSvids([(entry, Mint(entry))]);
        using var subscription = _agent.Cache.Subscribe(WebWorkload);
        subscription.Updates.TryRead(out _);

        // Act
        _agent.Cache.UpdateEntries([entry with { Hint = "ignored: same revision" }]);
        _agent.Cache.UpdateBundles(_agent.Server.OwnBundle, []);

        // Assert
        Assert.That(subscription.Updates.TryRead(out _), Is.False);
    }

    [Test]
    public void UpdateEntries_EntryRemoved_PublishesStateWithoutIt()
    {
        // Arrange
        var entry = FakeSpireServer.Entry("e1", "spiffe://example.org/web", "unix:uid:1000");
        _agent.Cache.UpdateEntries([entry]);
        _agent.Cache.StoreSvids([(entry, Mint(entry))]);
        using var subscription = _agent.Cache.Subscribe(WebWorkload);
        subscription.Updates.TryRead(out _);

        // Act
        var changes = _agent.Cache.UpdateEntries([]);

        // Assert
        Assert.That(changes.Removed, Is.EqualTo(1));
        Assert.That(_agent.Cache.X509SvidCount, Is.Zero);
        Assert.That(subscription.Updates.TryRead(out var update), Is.True);
        Assert.That(update!.Identities, Is.Empty);
    }

    [Test]
    public void UpdateEntries_NewRevision_KeepsServingTheOldSvidAndMarksItForRotation()
    {
        // Arrange
        var entry = FakeSpireServer.Entry("e1", "spiffe://example.org/web", "unix:uid:1000");
        _agent.Cache.UpdateEntries([entry]);
        var svid = Mint(entry);
        _agent.Cache.StoreSvids([(entry, svid)]);
        using var subscription = _agent.Cache.Subscribe(WebWorkload);
        subscription.Updates.TryRead(out _);

        // Act
        var changes = _agent.Cache.UpdateEntries([entry with { RevisionNumber = 2, Hint = "new" }]);
        var toMint = _agent.Cache.SelectEntriesToMint(_agent.Time.GetUtcNow(), new FixedRandom(0.5));

        // Assert
        Assert.That(changes.Changed, Is.EqualTo(1));
        Assert.That(subscription.Updates.TryRead(out var update), Is.True);
        Assert.That(update!.Identities.Single().Entry.Hint, Is.EqualTo("new"));
        Assert.That(update.Identities.Single().Svid, Is.SameAs(svid));
        Assert.That(toMint.Single().Entry.RevisionNumber, Is.EqualTo(2));
        Assert.That(toMint.Single().IsRotation, Is.True);
    }

    [Test]
    public void UpdateEntries_SpiffeIdChanged_DropsTheSvid()
    {
        // Arrange
        var entry = FakeSpireServer.Entry("e1", "spiffe://example.org/web", "unix:uid:1000");
        _agent.Cache.UpdateEntries([entry]);
        _agent.Cache.StoreSvids([(entry, Mint(entry))]);

        // Act
        _agent.Cache.UpdateEntries([entry with { RevisionNumber = 2, SpiffeId = SpiffeId.Parse("spiffe://example.org/renamed") }]);

        // Assert
        Assert.That(_agent.Cache.X509SvidCount, Is.Zero);
    }

    [Test]
    public void Identities_SortedByEntryIdAndDeduplicatedByHint()
    {
        // Arrange
        var created = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);
        var entries = new[]
        {
            FakeSpireServer.Entry("d", "spiffe://example.org/d", "unix:uid:1000") with { Hint = "db", CreatedAt = created },
            FakeSpireServer.Entry("c", "spiffe://example.org/c", "unix:uid:1000") with { Hint = "db", CreatedAt = created },
            FakeSpireServer.Entry("b", "spiffe://example.org/b", "unix:uid:1000") with { Hint = "api", CreatedAt = created.AddSeconds(5) },
            FakeSpireServer.Entry("a", "spiffe://example.org/a", "unix:uid:1000") with { Hint = "api", CreatedAt = created.AddSeconds(10) },
            FakeSpireServer.Entry("e", "spiffe://example.org/e", "unix:uid:1000"),
            FakeSpireServer.Entry("f", "spiffe://example.org/f", "unix:uid:1000"),
        };
        _agent.Cache.UpdateEntries(entries);
        _agent.Cache.StoreSvids(entries.Select(e => (e, Mint(e))).ToList());

        // Act
        using var subscription = _agent.Cache.Subscribe(WebWorkload);

        // Assert: "api" keeps the oldest (b); "db" ties on created_at and keeps the smaller ID (c)
        Assert.That(subscription.Updates.TryRead(out var update), Is.True);
        Assert.That(update!.Identities.Select(i => i.Entry.Id), Is.EqualTo(new[] { "b", "c", "e", "f" }));
    }

    [Test]
    public void UpdateBundles_FederatedBundleReferencedByAMatchingEntry_IsPublished()
    {
        // Arrange
        var entry = FakeSpireServer.Entry("e1", "spiffe://example.org/web", "unix:uid:1000") with { FederatesWith = [Federated] };
        var unrelated = FakeSpireServer.Entry("e2", "spiffe://example.org/db", "unix:uid:0") with { FederatesWith = [TrustDomain.Parse("third.org")] };
        _agent.Cache.UpdateEntries([entry, unrelated]);
        _agent.Cache.StoreSvids([(entry, Mint(entry))]);
        using var subscription = _agent.Cache.Subscribe(WebWorkload);
        subscription.Updates.TryRead(out var before);
        var partner = FederatedBundle(Federated);
        var third = FederatedBundle(TrustDomain.Parse("third.org"));

        // Act
        var changed = _agent.Cache.UpdateBundles(_agent.Server.OwnBundle, [partner, third]);

        // Assert
        Assert.That(changed, Is.EquivalentTo(new[] { Federated, TrustDomain.Parse("third.org") }));
        Assert.That(before!.FederatedX509Bundles.Bundles, Is.Empty);
        Assert.That(subscription.Updates.TryRead(out var after), Is.True);
        Assert.That(after!.FederatedX509Bundles.Bundles.Select(b => b.TrustDomain), Is.EqualTo(new[] { Federated }));
        Assert.That(after.FederatedJwtBundles.Bundles.Select(b => b.TrustDomain), Is.EqualTo(new[] { Federated }));
        Assert.That(_agent.Cache.GetFederatedTrustDomains(), Is.EqualTo(new[] { Federated, TrustDomain.Parse("third.org") }));
    }

    [Test]
    public void UpdateBundles_OwnBundleChanged_NotifiesEverySubscriber()
    {
        // Arrange
        using var first = _agent.Cache.Subscribe(WebWorkload);
        using var second = _agent.Cache.Subscribe(Selectors("unix:uid:0"));
        first.Updates.TryRead(out _);
        second.Updates.TryRead(out _);
        var rotatedCa = TestCa.CreateRoot(AgentHarness.TrustDomain, AgentHarness.Start);
        var rotated = new ServerBundle(
            new X509Bundle(AgentHarness.TrustDomain, [_agent.Server.Ca.RootCertificate, rotatedCa.RootCertificate]),
            _agent.Server.OwnBundle.Jwt,
            2);

        // Act
        _agent.Cache.UpdateBundles(rotated, []);

        // Assert
        Assert.That(first.Updates.TryRead(out var update), Is.True);
        Assert.That(update!.X509Bundle.X509Authorities, Has.Count.EqualTo(2));
        Assert.That(second.Updates.TryRead(out _), Is.True);
    }

    [Test]
    public void GetJwtBundlesForValidation_IncludesOwnAndTheMatchingEntriesFederatedBundles()
    {
        // Arrange
        var entry = FakeSpireServer.Entry("e1", "spiffe://example.org/web", "unix:uid:1000") with { FederatesWith = [Federated] };
        _agent.Cache.UpdateEntries([entry]);
        _agent.Cache.UpdateBundles(_agent.Server.OwnBundle, [FederatedBundle(Federated)]);

        // Act
        var matching = _agent.Cache.GetJwtBundlesForValidation(WebWorkload);
        var anonymous = _agent.Cache.GetJwtBundlesForValidation(Selectors("unix:uid:4242"));

        // Assert
        Assert.That(matching.Bundles.Select(b => b.TrustDomain), Is.EquivalentTo(new[] { AgentHarness.TrustDomain, Federated }));
        Assert.That(anonymous.Bundles.Select(b => b.TrustDomain), Is.EqualTo(new[] { AgentHarness.TrustDomain }));
    }

    [Test]
    public void Dispose_Subscription_RemovesItAndCompletesTheChannel()
    {
        // Arrange
        var subscription = _agent.Cache.Subscribe(WebWorkload);
        subscription.Updates.TryRead(out _);

        // Act
        subscription.Dispose();
        subscription.Dispose();

        // Assert
        Assert.That(_agent.Cache.SubscriptionCount, Is.Zero);
        Assert.That(subscription.Updates.Completion.IsCompletedSuccessfully, Is.True);
    }

    [Test]
    public void RevokeSubscriptions_MatchingSelectors_CompletesThoseChannelsWithRevocation()
    {
        // Arrange
        using var revoked = _agent.Cache.Subscribe(WebWorkload);
        using var kept = _agent.Cache.Subscribe(Selectors("unix:uid:0"));

        // Act
        var count = _agent.Cache.RevokeSubscriptions(s => s.Contains(Selector.Parse("docker:label:app:web")), "task revoked");

        // Assert
        Assert.That(count, Is.EqualTo(1));
        Assert.That(_agent.Cache.SubscriptionCount, Is.EqualTo(1));
        var error = Assert.ThrowsAsync<WorkloadSubscriptionRevokedException>(async () => await revoked.Updates.Completion.DefaultTimeout());
        Assert.That(error!.Message, Is.EqualTo("task revoked"));
        Assert.That(kept.Updates.Completion.IsCompleted, Is.False);
    }

    [Test]
    public void RemoveEntries_OnDemand_DropsEntryAndSvidAndNotifies()
    {
        // Arrange
        var entry = FakeSpireServer.Entry("task-1", "spiffe://example.org/task/1", "unix:uid:1000");
        _agent.Cache.UpdateEntries([entry]);
        _agent.Cache.StoreSvids([(entry, Mint(entry))]);
        using var subscription = _agent.Cache.Subscribe(WebWorkload);
        subscription.Updates.TryRead(out _);

        // Act
        _agent.Cache.RemoveEntries(["task-1"]);

        // Assert
        Assert.That(_agent.Cache.X509SvidCount, Is.Zero);
        Assert.That(_agent.Cache.GetEntries(), Is.Empty);
        Assert.That(subscription.Updates.TryRead(out var update), Is.True);
        Assert.That(update!.Identities, Is.Empty);
    }

    [Test]
    public void SelectEntriesToMint_SubscribedFirstThenPrefetchWithinTheCacheSize()
    {
        // Arrange
        using var agent = AgentHarness.Create(o => o.X509SvidCacheMaxSize = 2);
        agent.Cache.UpdateBundles(agent.Server.OwnBundle, []);
        var entries = new[]
        {
            FakeSpireServer.Entry("a", "spiffe://example.org/a", "unix:uid:1"),
            FakeSpireServer.Entry("b", "spiffe://example.org/b", "unix:uid:2") with { DisableX509SvidPrefetch = true },
            FakeSpireServer.Entry("c", "spiffe://example.org/c", "unix:uid:3"),
            FakeSpireServer.Entry("d", "spiffe://example.org/d", "unix:uid:4"),
            FakeSpireServer.Entry("z", "spiffe://example.org/z", "unix:uid:1000"),
        };
        agent.Cache.UpdateEntries(entries);
        using var subscription = agent.Cache.Subscribe(WebWorkload);

        // Act
        var candidates = agent.Cache.SelectEntriesToMint(agent.Time.GetUtcNow(), new FixedRandom(0.5));

        // Assert: z is subscribed; one slot of prefetch is left (a); b opted out of prefetch
        Assert.That(candidates.Select(c => c.Entry.Id), Is.EqualTo(new[] { "z", "a" }));
        Assert.That(candidates.All(c => !c.IsRotation), Is.True);
    }

    [Test]
    public void SelectEntriesToMint_SvidPastItsHalfLife_IsRotated()
    {
        // Arrange
        var entry = FakeSpireServer.Entry("e1", "spiffe://example.org/web", "unix:uid:1000");
        _agent.Cache.UpdateEntries([entry]);
        _agent.Cache.StoreSvids([(entry, Mint(entry))]);
        var fresh = _agent.Cache.SelectEntriesToMint(_agent.Time.GetUtcNow(), new FixedRandom(0.5));

        // Act
        _agent.Time.Advance(TimeSpan.FromMinutes(31));
        var later = _agent.Cache.SelectEntriesToMint(_agent.Time.GetUtcNow(), new FixedRandom(0.5));

        // Assert
        Assert.That(fresh, Is.Empty);
        Assert.That(later.Single().IsRotation, Is.True);
    }

    [Test]
    public void StoreSvids_BeyondTheLimit_EvictsLeastRecentlyUsedUnsubscribed()
    {
        // Arrange
        using var agent = AgentHarness.Create(o => o.X509SvidCacheMaxSize = 2);
        agent.Cache.UpdateBundles(agent.Server.OwnBundle, []);
        var subscribed = FakeSpireServer.Entry("a", "spiffe://example.org/a", "unix:uid:1000");
        var older = FakeSpireServer.Entry("b", "spiffe://example.org/b", "unix:uid:2");
        var newer = FakeSpireServer.Entry("c", "spiffe://example.org/c", "unix:uid:3");
        agent.Cache.UpdateEntries([subscribed, older, newer]);
        using var subscription = agent.Cache.Subscribe(WebWorkload);
        agent.Cache.StoreSvids([(older, Mint(older))]);
        agent.Time.Advance(TimeSpan.FromSeconds(1));
        agent.Cache.StoreSvids([(newer, Mint(newer))]);

        // Act
        agent.Cache.StoreSvids([(subscribed, Mint(subscribed))]);

        // Assert
        Assert.That(agent.Cache.X509SvidCount, Is.EqualTo(2));
        Assert.That(subscription.Updates.TryRead(out var update), Is.True);
        Assert.That(update!.Identities.Single().Entry.Id, Is.EqualTo("a"));
        Assert.That(agent.Cache.SelectEntriesToMint(agent.Time.GetUtcNow(), new FixedRandom(0.5)), Is.Empty);
    }

    [Test]
    public void Dispose_Cache_CompletesSubscriptionsAndRefusesNewOnes()
    {
        // Arrange
        var subscription = _agent.Cache.Subscribe(WebWorkload);

        // Act
        _agent.Cache.Dispose();

        // Assert
        Assert.That(subscription.Updates.Completion.IsCompletedSuccessfully, Is.True);
        Assert.Throws<ObjectDisposedException>(() => _agent.Cache.Subscribe(WebWorkload));
    }

    private static SelectorSet Selectors(params string[] selectors) => SelectorSet.Create(selectors.Select(Selector.Parse));

    private static ServerBundle FederatedBundle(TrustDomain trustDomain)
    {
        var ca = TestCa.CreateRoot(trustDomain, AgentHarness.Start);
        return new ServerBundle(ca.CreateX509Bundle(), new TestJwtSigner(trustDomain, "k1").CreateJwtBundle(), 1);
    }

    private X509Svid Mint(RegistrationEntry entry) =>
        _agent.Server.Ca.IssueX509Svid(entry.SpiffeId, new TestCertificateOptions
        {
            NotBefore = _agent.Time.GetUtcNow(),
            NotAfter = _agent.Time.GetUtcNow().AddHours(1),
        }).ToX509Svid(entry.Hint);
}
