using System.Net.Sockets;
using System.Runtime.Versioning;
using Spiffe.Agent.Attestation.Peer;
using Spiffe.Agent.Attestation.Proc;
using Spiffe.Agent.Attestation.Tests.Infrastructure;
using Spiffe.Agent.Core.Attestation;

namespace Spiffe.Agent.Attestation.Tests.Peer;

/// <summary>Real Unix socket connections from child processes running under other users.</summary>
[TestFixture]
[Platform("Linux")]
[SupportedOSPlatform("linux")]
public sealed class LinuxPeerTrackerTests
{
    private static readonly ChildIdentity s_identity = new(4242, 4343, []);
    private UnixSocketServer _server = null!;
    private CapturingLogger<LinuxPeerTracker> _logger = null!;
    private LinuxPeerTracker _tracker = null!;

    [SetUp]
    public void SetUp()
    {
        Requires.LinuxRoot();
        _server = new UnixSocketServer();
        _logger = new CapturingLogger<LinuxPeerTracker>();
        _tracker = new LinuxPeerTracker(new ProcFileSystem(ProcFileSystem.DefaultRoot), _logger);
    }

    [TearDown]
    public void TearDown() => _server?.Dispose();

    [Test]
    [CancelAfter(30_000)]
    public async Task Track_ChildConnects_ReadsItsPidUidAndGid(CancellationToken cancellationToken)
    {
        // Arrange
        await using var child = await ChildProcess.StartAsync(s_identity, ChildProcess.ConnectScript, [_server.SocketPath], cancellationToken);
        using var connection = await _server.AcceptAsync(cancellationToken);

        // Act
        using var watcher = _tracker.Track(connection);

        // Assert
        Assert.That(watcher.Credentials, Is.EqualTo(new CallerCredentials(child.Pid, 4242, 4343)));
        Assert.That(watcher.IsAlive(), Is.True);
        Assert.That(_logger.Records.Single(r => r.EventId.Name == "CallerTracked").Message, Does.Contain("SO_PEERPIDFD").Or.Contain("pidfd_open"));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task IsAlive_CallerExitedAndReaped_ReturnsFalse(CancellationToken cancellationToken)
    {
        // Arrange
        await using var child = await ChildProcess.StartAsync(s_identity, ChildProcess.ConnectScript, [_server.SocketPath], cancellationToken);
        using var connection = await _server.AcceptAsync(cancellationToken);
        using var watcher = _tracker.Track(connection);
        var aliveBefore = watcher.IsAlive();

        // Act
        await child.ExitAsync(cancellationToken);
        var aliveAfter = watcher.IsAlive();

        // Assert
        Assert.That(aliveBefore, Is.True);
        Assert.That(aliveAfter, Is.False);
        Assert.That(_logger.Count("CallerCheckFailed"), Is.EqualTo(1));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task IsAlive_AfterDispose_ReturnsFalse(CancellationToken cancellationToken)
    {
        // Arrange
        await using var child = await ChildProcess.StartAsync(s_identity, ChildProcess.ConnectScript, [_server.SocketPath], cancellationToken);
        using var connection = await _server.AcceptAsync(cancellationToken);
        var watcher = _tracker.Track(connection);

        // Act
        watcher.Dispose();
        watcher.Dispose();

        // Assert
        Assert.That(watcher.IsAlive(), Is.False);
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Track_CallerAlreadyExitedAndReaped_ThrowsCallerTrackingException(CancellationToken cancellationToken)
    {
        // Arrange
        await using var child = await ChildProcess.StartAsync(s_identity, ChildProcess.ConnectAndExitScript, [_server.SocketPath], cancellationToken);
        await child.ExitAsync(cancellationToken);
        using var connection = await _server.AcceptAsync(cancellationToken);

        // Act / Assert
        Assert.That(() => _tracker.Track(connection), Throws.TypeOf<CallerTrackingException>());
    }

    [Test]
    public void Track_TcpSocket_ThrowsArgumentException()
    {
        // Arrange
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);

        // Act / Assert
        Assert.That(() => _tracker.Track(socket), Throws.TypeOf<ArgumentException>());
    }

    /// <summary>Without any pidfd (kernels before 5.3), the held /proc directory alone still detects the exit.</summary>
    [Test]
    [CancelAfter(30_000)]
    public async Task IsAlive_ProcDirectoryOnlyAndCallerExits_ReturnsFalse(CancellationToken cancellationToken)
    {
        // Arrange
        await using var child = await ChildProcess.StartAsync(s_identity, ChildProcess.IdleScript, [], cancellationToken);
        using var watcher = LinuxCallerWatcher.Start(
            new CallerCredentials(child.Pid, 4242, 4343), pidfd: null, new ProcFileSystem(ProcFileSystem.DefaultRoot), _logger);
        var aliveBefore = watcher.IsAlive();

        // Act
        await child.ExitAsync(cancellationToken);
        var aliveAfter = watcher.IsAlive();

        // Assert
        Assert.That(aliveBefore, Is.True);
        Assert.That(aliveAfter, Is.False);
    }

    [TestCase(4242u, 0u)]
    [TestCase(0u, 4343u)]
    [CancelAfter(30_000)]
    public async Task Start_CredentialsDoNotMatchProcess_ThrowsCallerTrackingException(uint uid, uint gid, CancellationToken cancellationToken)
    {
        // Arrange
        await using var child = await ChildProcess.StartAsync(s_identity, ChildProcess.IdleScript, [], cancellationToken);

        // Act / Assert
        Assert.That(
            () => LinuxCallerWatcher.Start(new CallerCredentials(child.Pid, uid, gid), pidfd: null, new ProcFileSystem(ProcFileSystem.DefaultRoot), _logger),
            Throws.TypeOf<CallerTrackingException>().With.Message.Contains("does not match original caller"));
    }
}
