using Spiffe.Agent.Core.Node;
using Spiffe.Agent.Core.Server;
using Spiffe.Agent.Core.Tests.Fakes;

namespace Spiffe.Agent.Core.Tests.Node;

[TestFixture]
public sealed class NodeSvidManagerTests
{
    private AgentHarness _agent = null!;

    [SetUp]
    public void SetUp() => _agent = AgentHarness.Create();

    [TearDown]
    public void TearDown() => _agent.Dispose();

    [Test]
    public async Task InitializeAsync_NothingStored_AttestsWithTheJoinTokenAndPersists()
    {
        // Act
        await _agent.Node.InitializeAsync(CancellationToken.None).DefaultTimeout();

        // Assert
        Assert.That(_agent.Server.Attestations.Single(), Is.EqualTo(new JoinTokenAttestation("secret-join-token")));
        Assert.That(_agent.Credentials.AgentSvid!.Id.ToString(), Is.EqualTo("spiffe://example.org/spire/agent/test/node-1"));
        Assert.That(_agent.Credentials.ServerTrustBundle, Is.SameAs(_agent.Server.OwnBundle.X509));
        var stored = _agent.Store.Load();
        Assert.That(stored.SvidChain, Has.Count.EqualTo(1));
        Assert.That(stored.Bundle.Single().Thumbprint, Is.EqualTo(_agent.Server.Ca.RootCertificate.Thumbprint));
        Assert.That(stored.Reattestable, Is.False);
    }

    [Test]
    public async Task InitializeAsync_RestartWithStoredSvidAndDiskKey_DoesNotAttestAgain()
    {
        // Arrange
        await _agent.Node.InitializeAsync(CancellationToken.None).DefaultTimeout();
        _agent.Time.Advance(TimeSpan.FromMinutes(10));
        using var restarted = _agent.Restart(o => o.JoinToken = null);

        // Act
        await restarted.Node.InitializeAsync(CancellationToken.None).DefaultTimeout();

        // Assert
        Assert.That(_agent.Server.Calls(nameof(FakeSpireServer.AttestAgentAsync)), Is.EqualTo(1));
        Assert.That(restarted.Credentials.AgentSvid!.Certificates[0].Thumbprint, Is.EqualTo(_agent.Credentials.AgentSvid!.Certificates[0].Thumbprint));
        Assert.That(restarted.Credentials.ServerTrustBundle!.X509Authorities.Single().Thumbprint, Is.EqualTo(_agent.Server.Ca.RootCertificate.Thumbprint));
        Assert.That(restarted.NodeLogger.EventNames, Does.Contain("UsingStoredAgentSvid"));
    }

    [Test]
    public async Task InitializeAsync_RestartWithMemoryKeyManager_AttestsAgain()
    {
        // Arrange
        using var agent = AgentHarness.Create(o => o.KeyManager = AgentKeyManagerKind.Memory);
        await agent.Node.InitializeAsync(CancellationToken.None).DefaultTimeout();
        using var restarted = agent.Restart();

        // Act
        await restarted.Node.InitializeAsync(CancellationToken.None).DefaultTimeout();

        // Assert
        Assert.That(agent.Server.Calls(nameof(FakeSpireServer.AttestAgentAsync)), Is.EqualTo(2));
        Assert.That(agent.NodeLogger.EventNames, Does.Contain("MemoryKeyManagerNotReattestable"));
    }

    [Test]
    public async Task InitializeAsync_StoredSvidExpired_AttestsAgain()
    {
        // Arrange
        await _agent.Node.InitializeAsync(CancellationToken.None).DefaultTimeout();
        _agent.Time.Advance(TimeSpan.FromHours(2));
        using var restarted = _agent.Restart();

        // Act
        await restarted.Node.InitializeAsync(CancellationToken.None).DefaultTimeout();

        // Assert
        Assert.That(_agent.Server.Calls(nameof(FakeSpireServer.AttestAgentAsync)), Is.EqualTo(2));
        Assert.That(restarted.NodeLogger.Events.Any(e => e.EventName == "StoredAgentSvidUnusable" && e.Message.Contains("expired", StringComparison.Ordinal)), Is.True);
    }

    [Test]
    public void InitializeAsync_PermissionDenied_MustExitAtOnce()
    {
        // Arrange
        _agent.Server.FailNext(nameof(FakeSpireServer.AttestAgentAsync), FakeSpireServer.PermissionDenied(PermissionDeniedReason.AgentBanned));

        // Act
        var error = Assert.ThrowsAsync<AgentMustExitException>(async () => await _agent.Node.InitializeAsync(CancellationToken.None).DefaultTimeout());

        // Assert
        Assert.That(error!.Request.Reason, Is.EqualTo(AgentExitReason.Banned));
        Assert.That(_agent.Server.Calls(nameof(FakeSpireServer.AttestAgentAsync)), Is.EqualTo(1));
    }

    [Test]
    public async Task InitializeAsync_TransientFailures_RetriesWithBackoff()
    {
        // Arrange
        _agent.Server.FailNext(nameof(FakeSpireServer.AttestAgentAsync), FakeSpireServer.Unavailable());
        _agent.Server.FailNext(nameof(FakeSpireServer.AttestAgentAsync), FakeSpireServer.Unavailable());

        // Act
        var start = _agent.Time.GetUtcNow();
        await _agent.DriveAsync(_agent.Node.InitializeAsync(CancellationToken.None), TimeSpan.FromMilliseconds(500)).DefaultTimeout();

        // Assert: 5 s then 7.5 s of backoff
        Assert.That(_agent.Server.Calls(nameof(FakeSpireServer.AttestAgentAsync)), Is.EqualTo(3));
        Assert.That(_agent.Time.GetUtcNow() - start, Is.EqualTo(TimeSpan.FromSeconds(12.5)));
        Assert.That(_agent.NodeLogger.EventNames.Count(n => n == "AttestationAttemptFailed"), Is.EqualTo(2));
    }

    [Test]
    public async Task InitializeAsync_ServerUnreachable_GivesUpAfterAboutAMinute()
    {
        // Arrange
        _agent.Server.Unreachable = true;
        var initialize = _agent.Node.InitializeAsync(CancellationToken.None);

        // Act
        var error = Assert.ThrowsAsync<AgentMustExitException>(async () => await _agent.DriveAsync(initialize, TimeSpan.FromSeconds(1)).DefaultTimeout());

        // Assert
        Assert.That(error!.Request.Reason, Is.EqualTo(AgentExitReason.AttestationFailed));
        Assert.That(error.Request.Message, Does.Contain("server unavailable"));
        Assert.That(_agent.Time.GetUtcNow() - AgentHarness.Start, Is.LessThanOrEqualTo(NodeSvidManager.AttestationGiveUp));
        await Task.CompletedTask;
    }

    [Test]
    public void InitializeAsync_NoAttestationMethodConfigured_MustExitWithConfiguration()
    {
        // Arrange
        using var agent = AgentHarness.Create(o => o.JoinToken = null);

        // Act
        var error = Assert.ThrowsAsync<AgentMustExitException>(async () => await agent.Node.InitializeAsync(CancellationToken.None).DefaultTimeout());

        // Assert
        Assert.That(error!.Request.Reason, Is.EqualTo(AgentExitReason.Configuration));
        Assert.That(agent.Server.Calls(nameof(FakeSpireServer.AttestAgentAsync)), Is.Zero);
    }

    [Test]
    public async Task InitializeAsync_TrustBundlePath_IsUsedForTheFirstAttestation()
    {
        // Arrange
        var path = Path.Combine(_agent.Options.DataDirectory, "bootstrap.crt");
        await File.WriteAllTextAsync(path, _agent.Server.Ca.RootCertificate.ExportCertificatePem());
        using var agent = _agent.Restart(o =>
        {
            o.InsecureBootstrap = false;
            o.TrustBundlePath = path;
        });
        _agent.Server.FailNext(nameof(FakeSpireServer.AttestAgentAsync), FakeSpireServer.PermissionDenied(PermissionDeniedReason.Unknown));

        // Act
        Assert.ThrowsAsync<AgentMustExitException>(async () => await agent.Node.InitializeAsync(CancellationToken.None).DefaultTimeout());

        // Assert
        Assert.That(agent.Credentials.ServerTrustBundle!.X509Authorities.Single().Thumbprint, Is.EqualTo(_agent.Server.Ca.RootCertificate.Thumbprint));
    }

    [Test]
    public void InitializeAsync_UnreadableTrustBundlePath_MustExitWithConfiguration()
    {
        // Arrange
        using var agent = _agent.Restart(o =>
        {
            o.InsecureBootstrap = false;
            o.TrustBundlePath = Path.Combine(_agent.Options.DataDirectory, "missing.crt");
        });

        // Act
        var error = Assert.ThrowsAsync<AgentMustExitException>(async () => await agent.Node.InitializeAsync(CancellationToken.None).DefaultTimeout());

        // Assert
        Assert.That(error!.Request.Reason, Is.EqualTo(AgentExitReason.Configuration));
        Assert.That(error.Request.Message, Does.Contain("trust_bundle_path"));
    }

    [Test]
    public async Task RotateIfNeededAsync_BeforeHalfLife_DoesNothing()
    {
        // Arrange
        await _agent.Node.InitializeAsync(CancellationToken.None).DefaultTimeout();
        _agent.Time.Advance(TimeSpan.FromMinutes(20));

        // Act
        var rotated = await _agent.Node.RotateIfNeededAsync(CancellationToken.None).DefaultTimeout();

        // Assert
        Assert.That(rotated, Is.False);
        Assert.That(_agent.Server.Calls(nameof(FakeSpireServer.RenewAgentAsync)), Is.Zero);
    }

    [Test]
    public async Task RotateIfNeededAsync_NotReattestablePastHalfLife_RenewsAndPersists()
    {
        // Arrange
        await _agent.Node.InitializeAsync(CancellationToken.None).DefaultTimeout();
        var before = _agent.Credentials.AgentSvid!;
        _agent.Time.Advance(TimeSpan.FromMinutes(31));

        // Act
        var rotated = await _agent.Node.RotateIfNeededAsync(CancellationToken.None).DefaultTimeout();

        // Assert
        Assert.That(rotated, Is.True);
        Assert.That(_agent.Server.Calls(nameof(FakeSpireServer.RenewAgentAsync)), Is.EqualTo(1));
        Assert.That(_agent.Server.Calls(nameof(FakeSpireServer.AttestAgentAsync)), Is.EqualTo(1));
        var after = _agent.Credentials.AgentSvid!;
        Assert.That(after, Is.Not.SameAs(before));
        Assert.That(_agent.Store.Load().SvidChain[0].Thumbprint, Is.EqualTo(after.Certificates[0].Thumbprint));
    }

    [Test]
    public async Task RotateIfNeededAsync_ReattestablePastHalfLife_AttestsAgain()
    {
        // Arrange
        _agent.Server.Reattestable = true;
        await _agent.Node.InitializeAsync(CancellationToken.None).DefaultTimeout();
        _agent.Time.Advance(TimeSpan.FromMinutes(31));

        // Act
        await _agent.Node.RotateIfNeededAsync(CancellationToken.None).DefaultTimeout();

        // Assert
        Assert.That(_agent.Server.Calls(nameof(FakeSpireServer.AttestAgentAsync)), Is.EqualTo(2));
        Assert.That(_agent.Server.Calls(nameof(FakeSpireServer.RenewAgentAsync)), Is.Zero);
    }

    [Test]
    public async Task TryHandleServerErrorAsync_Banned_DeletesStoredSvidAndMustExit()
    {
        // Arrange
        await _agent.Node.InitializeAsync(CancellationToken.None).DefaultTimeout();

        // Act
        var error = Assert.ThrowsAsync<AgentMustExitException>(async () =>
            await _agent.Node.TryHandleServerErrorAsync(FakeSpireServer.PermissionDenied(PermissionDeniedReason.AgentBanned), CancellationToken.None).DefaultTimeout());

        // Assert
        Assert.That(error!.Request.Reason, Is.EqualTo(AgentExitReason.Banned));
        Assert.That(error.Request.Message, Does.Contain("banned"));
        var stored = _agent.Store.Load();
        Assert.That(stored.SvidChain, Is.Empty);
        Assert.That(stored.Bundle, Is.Not.Empty);
    }

    [TestCase(1, TestName = "TryHandleServerErrorAsync_AgentExpiredWhenReattestable_AttestsInProcess")]
    [TestCase(2, TestName = "TryHandleServerErrorAsync_AgentNotAttestedWhenReattestable_AttestsInProcess")]
    [TestCase(3, TestName = "TryHandleServerErrorAsync_AgentNotActiveWhenReattestable_AttestsInProcess")]
    [TestCase(5, TestName = "TryHandleServerErrorAsync_AgentMustReattestWhenReattestable_AttestsInProcess")]
    public async Task TryHandleServerErrorAsync_ReattestReasonWhenReattestable_AttestsInProcess(int reasonNumber)
    {
        var reason = (PermissionDeniedReason)reasonNumber;

        // Arrange
        _agent.Server.Reattestable = true;
        await _agent.Node.InitializeAsync(CancellationToken.None).DefaultTimeout();
        var before = _agent.Credentials.AgentSvid;

        // Act
        var handled = await _agent.Node.TryHandleServerErrorAsync(FakeSpireServer.PermissionDenied(reason), CancellationToken.None).DefaultTimeout();

        // Assert
        Assert.That(handled, Is.True);
        Assert.That(_agent.Server.Calls(nameof(FakeSpireServer.AttestAgentAsync)), Is.EqualTo(2));
        Assert.That(_agent.Credentials.AgentSvid, Is.Not.SameAs(before));
    }

    [Test]
    public async Task TryHandleServerErrorAsync_ReattestReasonWhenNotReattestable_DeletesStoredSvidAndMustExit()
    {
        // Arrange
        await _agent.Node.InitializeAsync(CancellationToken.None).DefaultTimeout();

        // Act
        var error = Assert.ThrowsAsync<AgentMustExitException>(async () =>
            await _agent.Node.TryHandleServerErrorAsync(FakeSpireServer.PermissionDenied(PermissionDeniedReason.AgentNotAttested), CancellationToken.None).DefaultTimeout());

        // Assert
        Assert.That(error!.Request.Reason, Is.EqualTo(AgentExitReason.ReattestationImpossible));
        Assert.That(error.Request.Message, Does.Contain("new join token"));
        Assert.That(_agent.Store.Load().SvidChain, Is.Empty);
        Assert.That(_agent.Server.Calls(nameof(FakeSpireServer.AttestAgentAsync)), Is.EqualTo(1));
    }

    [TestCase(14, -1, TestName = "TryHandleServerErrorAsync_Unavailable_NotHandled")]
    [TestCase(7, -1, TestName = "TryHandleServerErrorAsync_PermissionDeniedWithoutDetails_NotHandled")]
    [TestCase(7, 0, TestName = "TryHandleServerErrorAsync_PermissionDeniedUnknownReason_NotHandled")]
    public async Task TryHandleServerErrorAsync_OtherErrors_NotHandled(int codeNumber, int reasonNumber)
    {
        var code = (ServerStatusCode)codeNumber;
        PermissionDeniedReason? reason = reasonNumber < 0 ? null : (PermissionDeniedReason)reasonNumber;

        // Arrange
        await _agent.Node.InitializeAsync(CancellationToken.None).DefaultTimeout();

        // Act
        var handled = await _agent.Node.TryHandleServerErrorAsync(new SpireServerException(code, "x", reason), CancellationToken.None).DefaultTimeout();

        // Assert
        Assert.That(handled, Is.False);
        Assert.That(_agent.Store.Load().SvidChain, Is.Not.Empty);
    }

    [Test]
    public async Task AttestationFailure_ErrorMessageWithTheJoinToken_IsRedactedInLogs()
    {
        // Arrange
        _agent.Server.FailNext(nameof(FakeSpireServer.AttestAgentAsync), new SpireServerException(ServerStatusCode.InvalidArgument, "join token secret-join-token does not exist"));

        // Act
        await _agent.DriveAsync(_agent.Node.InitializeAsync(CancellationToken.None), TimeSpan.FromSeconds(1)).DefaultTimeout();

        // Assert
        var failure = _agent.NodeLogger.Events.Single(e => e.EventName == "AttestationAttemptFailed");
        Assert.That(failure.Message, Does.Contain("<join token>"));
        Assert.That(_agent.NodeLogger.Events.Any(e => e.Message.Contains("secret-join-token", StringComparison.Ordinal)), Is.False);
    }
}
