using Microsoft.Extensions.Logging;
using Spiffe.Agent.Core.Cache;
using Spiffe.Agent.Core.Tests.Fakes;
using Spiffe.Agent.Core.Workload;
using Spiffe.Core;

namespace Spiffe.Agent.Core.Tests.Cache;

[TestFixture]
public sealed class JwtSvidCacheTests
{
    private static readonly RegistrationEntry Web = FakeSpireServer.Entry("e1", "spiffe://example.org/web", "unix:uid:1000") with { Hint = "web" };

    private AgentHarness _agent = null!;

    [SetUp]
    public void SetUp() => _agent = AgentHarness.Create();

    [TearDown]
    public void TearDown() => _agent.Dispose();

    [Test]
    public void Key_AudienceOrderDoesNotMatter_ButIdAndAudiencesDo()
    {
        // Arrange
        var id = SpiffeId.Parse("spiffe://example.org/web");

        // Act
        var ab = JwtSvidCache.Key(id, ["a", "b"]);
        var ba = JwtSvidCache.Key(id, ["b", "a"]);
        var joined = JwtSvidCache.Key(id, ["ab"]);
        var other = JwtSvidCache.Key(SpiffeId.Parse("spiffe://example.org/db"), ["a", "b"]);

        // Assert
        Assert.That(ab, Is.EqualTo(ba));
        Assert.That(ab, Is.Not.EqualTo(joined));
        Assert.That(ab, Is.Not.EqualTo(other));
        Assert.That(ab, Does.Match("^[0-9a-f]{64}$"));
    }

    [Test]
    public async Task GetAsync_SecondCallBeforeHalfLife_ReturnsTheCachedToken()
    {
        // Arrange
        var first = await _agent.Jwt.GetAsync(Web, ["api"], CancellationToken.None).DefaultTimeout();
        _agent.Time.Advance(TimeSpan.FromMinutes(2));

        // Act
        var second = await _agent.Jwt.GetAsync(Web, ["api"], CancellationToken.None).DefaultTimeout();

        // Assert
        Assert.That(second.Token, Is.EqualTo(first.Token));
        Assert.That(_agent.Server.Calls(nameof(FakeSpireServer.NewJwtSvidAsync)), Is.EqualTo(1));
        Assert.That(_agent.Jwt.Count, Is.EqualTo(1));
    }

    [Test]
    public async Task GetAsync_PastHalfLife_FetchesANewToken()
    {
        // Arrange
        var first = await _agent.Jwt.GetAsync(Web, ["api"], CancellationToken.None).DefaultTimeout();
        _agent.Time.Advance(TimeSpan.FromMinutes(3));

        // Act
        var second = await _agent.Jwt.GetAsync(Web, ["api"], CancellationToken.None).DefaultTimeout();

        // Assert
        Assert.That(second.Token, Is.Not.EqualTo(first.Token));
        Assert.That(_agent.Server.Calls(nameof(FakeSpireServer.NewJwtSvidAsync)), Is.EqualTo(2));
    }

    [Test]
    public async Task GetAsync_ServerFailsWhileCachedTokenIsUnexpired_ReturnsItWithAWarning()
    {
        // Arrange
        var first = await _agent.Jwt.GetAsync(Web, ["api"], CancellationToken.None).DefaultTimeout();
        _agent.Time.Advance(TimeSpan.FromMinutes(4));
        _agent.Server.Unreachable = true;

        // Act
        var second = await _agent.Jwt.GetAsync(Web, ["api"], CancellationToken.None).DefaultTimeout();

        // Assert
        Assert.That(second.Token, Is.EqualTo(first.Token));
        Assert.That(_agent.JwtLogger.Events.Single(e => e.EventName == "StaleJwtSvidServed").Level, Is.EqualTo(LogLevel.Warning));
        Assert.That(_agent.JwtLogger.Events.Any(e => e.Message.Contains(first.Token, StringComparison.Ordinal)), Is.False);
    }

    [Test]
    public async Task GetAsync_ServerFailsAndCachedTokenExpired_Throws()
    {
        // Arrange
        await _agent.Jwt.GetAsync(Web, ["api"], CancellationToken.None).DefaultTimeout();
        _agent.Time.Advance(TimeSpan.FromMinutes(6));
        _agent.Server.Unreachable = true;

        // Act + Assert
        var error = Assert.ThrowsAsync<JwtSvidUnavailableException>(async () => await _agent.Jwt.GetAsync(Web, ["api"], CancellationToken.None).DefaultTimeout());
        Assert.That(error!.Message, Is.EqualTo("server unavailable"));
    }

    [Test]
    public async Task GetAsync_EntryWithIncludeJti_AlwaysFetchesAndNeverCaches()
    {
        // Arrange
        var jti = Web with { JwtSvidIncludeJti = true };
        var first = await _agent.Jwt.GetAsync(jti, ["api"], CancellationToken.None).DefaultTimeout();

        // Act
        var second = await _agent.Jwt.GetAsync(jti, ["api"], CancellationToken.None).DefaultTimeout();

        // Assert
        Assert.That(second.Token, Is.Not.EqualTo(first.Token));
        Assert.That(_agent.Jwt.Count, Is.Zero);
    }

    [Test]
    public async Task GetAsync_CacheFull_EvictsTheLeastRecentlyUsed()
    {
        // Arrange
        using var agent = AgentHarness.Create(o => o.JwtSvidCacheMaxSize = 2);
        var a = await agent.Jwt.GetAsync(Web, ["a"], CancellationToken.None).DefaultTimeout();
        await agent.Jwt.GetAsync(Web, ["b"], CancellationToken.None).DefaultTimeout();
        await agent.Jwt.GetAsync(Web, ["a"], CancellationToken.None).DefaultTimeout();

        // Act: "c" evicts "b" (a was used more recently)
        await agent.Jwt.GetAsync(Web, ["c"], CancellationToken.None).DefaultTimeout();
        var aAgain = await agent.Jwt.GetAsync(Web, ["a"], CancellationToken.None).DefaultTimeout();
        await agent.Jwt.GetAsync(Web, ["b"], CancellationToken.None).DefaultTimeout();

        // Assert
        Assert.That(aAgain.Token, Is.EqualTo(a.Token));
        Assert.That(agent.Jwt.Count, Is.EqualTo(2));
        Assert.That(agent.Server.Calls(nameof(FakeSpireServer.NewJwtSvidAsync)), Is.EqualTo(4));
    }

    [Test]
    public async Task FetchJwtSvidsAsync_SelectsMatchingEntriesAndFiltersBySpiffeId()
    {
        // Arrange
        _agent.Cache.UpdateBundles(_agent.Server.OwnBundle, []);
        var db = FakeSpireServer.Entry("e2", "spiffe://example.org/db", "unix:uid:1000");
        _agent.Cache.UpdateEntries([Web, db, FakeSpireServer.Entry("e3", "spiffe://example.org/other", "unix:uid:0")]);
        var selectors = Spiffe.Agent.Core.Attestation.SelectorSet.Create([Spiffe.Agent.Core.Attestation.Selector.Parse("unix:uid:1000")]);

        // Act
        var all = await _agent.Cache.FetchJwtSvidsAsync(selectors, ["api", "db"], null, CancellationToken.None).DefaultTimeout();
        var one = await _agent.Cache.FetchJwtSvidsAsync(selectors, ["api"], SpiffeId.Parse("spiffe://example.org/db"), CancellationToken.None).DefaultTimeout();
        var none = await _agent.Cache.FetchJwtSvidsAsync(selectors, ["api"], SpiffeId.Parse("spiffe://example.org/other"), CancellationToken.None).DefaultTimeout();

        // Assert
        Assert.That(all.Select(s => (s.EntryId, s.Hint)), Is.EqualTo(new[] { ("e1", "web"), ("e2", string.Empty) }));
        Assert.That(one.Single().SpiffeId, Is.EqualTo(SpiffeId.Parse("spiffe://example.org/db")));
        Assert.That(none, Is.Empty);
        Assert.ThrowsAsync<ArgumentException>(async () => await _agent.Cache.FetchJwtSvidsAsync(selectors, [], null, CancellationToken.None).DefaultTimeout());
    }
}
