using Spiffe.Agent.Core.Attestation;
using Spiffe.Agent.Core.Server;
using Spiffe.Agent.Core.Tests.Fakes;

namespace Spiffe.Agent.Core.Tests.Hosting;

[TestFixture]
public sealed class AgentServiceTests
{
    private static readonly SelectorSet Workload = SelectorSet.Create([Selector.Parse("unix:uid:1000")]);

    private AgentHarness _agent = null!;
    private FakeHostApplicationLifetime _lifetime = null!;
    private AgentStartup _startup = null!;
    private ListLogger<AgentService> _logger = null!;
    private AgentService _service = null!;

    [SetUp]
    public void SetUp()
    {
        _agent = AgentHarness.Create(o => o.AgentVersion = "1.2.3");
        _lifetime = new FakeHostApplicationLifetime();
        _startup = new AgentStartup();
        _logger = new ListLogger<AgentService>();
        _service = new AgentService(_agent.Options, _agent.Node, _agent.Sync, _agent.Cache, _agent.Server, _startup, _lifetime, _agent.Time, _agent.Random, _logger);
    }

    [TearDown]
    public async Task TearDown()
    {
        await _service.StopAsync(CancellationToken.None).DefaultTimeout();
        _service.Dispose();
        _agent.Dispose();
    }

    [Test]
    public async Task StartAsync_AttestsReportsVersionAndSyncs_ThenReady()
    {
        // Arrange
        _agent.Server.SetEntry(FakeSpireServer.Entry("e1", "spiffe://example.org/web", "unix:uid:1000"));

        // Act
        await _service.StartAsync(CancellationToken.None).DefaultTimeout();
        await _startup.Ready.DefaultTimeout();

        // Assert
        Assert.That(_agent.Server.PostedVersions, Is.EqualTo(new[] { "1.2.3" }));
        Assert.That(_agent.Cache.X509SvidCount, Is.EqualTo(1));
        Assert.That(_startup.MustExit.IsCompleted, Is.False);
        Assert.That(_logger.EventNames, Does.Contain("AgentReady"));
    }

    [Test]
    public async Task NewSubscriber_MissingSvid_IsMintedWithoutWaitingForTheNextSync()
    {
        // Arrange
        _agent.Server.SetEntry(FakeSpireServer.Entry("e1", "spiffe://example.org/web", "unix:uid:1000") with { DisableX509SvidPrefetch = true });
        await _service.StartAsync(CancellationToken.None).DefaultTimeout();
        await _startup.Ready.DefaultTimeout();
        Assert.That(_agent.Cache.X509SvidCount, Is.Zero);

        // Act
        using var subscription = _agent.Cache.Subscribe(Workload);
        var update = await subscription.Updates.ReadAsync().AsTask().DefaultTimeout();

        // Assert
        Assert.That(update.Identities.Single().Entry.Id, Is.EqualTo("e1"));
        Assert.That(_agent.Time.GetUtcNow(), Is.EqualTo(AgentHarness.Start));
    }

    [Test]
    public async Task SyncLoop_EverySyncInterval_PicksUpNewEntries()
    {
        // Arrange
        await _service.StartAsync(CancellationToken.None).DefaultTimeout();
        await _startup.Ready.DefaultTimeout();
        using var subscription = _agent.Cache.Subscribe(Workload);
        var empty = await subscription.Updates.ReadAsync().AsTask().DefaultTimeout();
        _agent.Server.SetEntry(FakeSpireServer.Entry("e1", "spiffe://example.org/web", "unix:uid:1000"));

        // Act
        _agent.Time.Advance(_agent.Options.SyncInterval);
        var update = await subscription.Updates.ReadAsync().AsTask().DefaultTimeout();

        // Assert
        Assert.That(empty.Identities, Is.Empty);
        Assert.That(update.Identities.Single().Entry.Id, Is.EqualTo("e1"));
    }

    [Test]
    public async Task SyncLoop_ServerUnreachable_BacksOffAndKeepsServing()
    {
        // Arrange
        _agent.Server.SetEntry(FakeSpireServer.Entry("e1", "spiffe://example.org/web", "unix:uid:1000"));
        await _service.StartAsync(CancellationToken.None).DefaultTimeout();
        await _startup.Ready.DefaultTimeout();
        _agent.Server.Unreachable = true;
        var before = _agent.Server.Calls(nameof(FakeSpireServer.GetAuthorizedEntriesAsync));

        // Act
        _agent.Time.Advance(_agent.Options.SyncInterval);
        await _logger.WaitForEventAsync("SyncFailed").DefaultTimeout();

        // Assert
        Assert.That(_agent.Server.Calls(nameof(FakeSpireServer.GetAuthorizedEntriesAsync)), Is.EqualTo(before + 1));
        using var subscription = _agent.Cache.Subscribe(Workload);
        Assert.That(subscription.Updates.TryRead(out var update), Is.True);
        Assert.That(update!.Identities, Has.Count.EqualTo(1));
        Assert.That(_startup.MustExit.IsCompleted, Is.False);
    }

    [Test]
    public async Task SyncLoop_AgentBanned_DeletesSvidSignalsMustExitAndStopsTheHost()
    {
        // Arrange
        await _service.StartAsync(CancellationToken.None).DefaultTimeout();
        await _startup.Ready.DefaultTimeout();
        _agent.Server.FailNext(nameof(FakeSpireServer.GetAuthorizedEntriesAsync), FakeSpireServer.PermissionDenied(PermissionDeniedReason.AgentBanned));

        // Act
        _agent.Time.Advance(_agent.Options.SyncInterval);
        var request = await _startup.MustExit.DefaultTimeout();

        // Assert
        Assert.That(request.Reason, Is.EqualTo(AgentExitReason.Banned));
        Assert.That(_lifetime.StopRequests, Is.EqualTo(1));
        Assert.That(_agent.Store.Load().SvidChain, Is.Empty);
        Assert.That(_logger.EventNames, Does.Contain("AgentMustExit"));
    }

    [Test]
    public async Task StartAsync_AttestationRefused_ReadyFaultsWithMustExit()
    {
        // Arrange
        _agent.Server.FailNext(nameof(FakeSpireServer.AttestAgentAsync), new SpireServerException(ServerStatusCode.PermissionDenied, "agent is banned", PermissionDeniedReason.AgentBanned));

        // Act
        await _service.StartAsync(CancellationToken.None).DefaultTimeout();

        // Assert
        var error = Assert.ThrowsAsync<AgentMustExitException>(async () => await _startup.Ready.DefaultTimeout());
        Assert.That(error!.Request.Reason, Is.EqualTo(AgentExitReason.Banned));
        Assert.That((await _startup.MustExit.DefaultTimeout()).Reason, Is.EqualTo(AgentExitReason.Banned));
        Assert.That(_lifetime.StopRequests, Is.EqualTo(1));
    }

    [Test]
    public async Task RotationLoop_AgentSvidPastHalfLife_IsRenewed()
    {
        // Arrange
        await _service.StartAsync(CancellationToken.None).DefaultTimeout();
        await _startup.Ready.DefaultTimeout();
        var before = _agent.Credentials.AgentSvid;

        // Act: past the half-life of the one-hour agent SVID
        _agent.Time.Advance(TimeSpan.FromMinutes(31));
        await _agent.NodeLogger.WaitForEventAsync("AgentSvidRenewed").DefaultTimeout();

        // Assert
        Assert.That(_agent.Server.Calls(nameof(FakeSpireServer.RenewAgentAsync)), Is.EqualTo(1));
        Assert.That(_agent.Credentials.AgentSvid, Is.Not.SameAs(before));
    }

    [Test]
    public async Task StopAsync_BeforeReady_CancelsReady()
    {
        // Arrange: attestation keeps failing, so the service waits in its backoff
        _agent.Server.Unreachable = true;
        await _service.StartAsync(CancellationToken.None).DefaultTimeout();

        // Act
        await _service.StopAsync(CancellationToken.None).DefaultTimeout();

        // Assert
        Assert.That(_startup.Ready.IsCanceled, Is.True);
        Assert.That(_startup.MustExit.IsCompleted, Is.False);
    }
}
