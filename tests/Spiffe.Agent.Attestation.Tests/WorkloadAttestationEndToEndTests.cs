using System.Runtime.Versioning;
using Spiffe.Agent.Attestation.Attestors.Cgroup;
using Spiffe.Agent.Attestation.Attestors.Container;
using Spiffe.Agent.Attestation.Attestors.Systemd;
using Spiffe.Agent.Attestation.Attestors.Unix;
using Spiffe.Agent.Attestation.Peer;
using Spiffe.Agent.Attestation.Proc;
using Spiffe.Agent.Attestation.Tests.Infrastructure;
using Spiffe.Agent.Core.Attestation;

namespace Spiffe.Agent.Attestation.Tests;

/// <summary>
/// The whole path the Workload API takes: a real child connects to a Unix socket, the tracker reads its credentials,
/// every attestor runs against the real /proc, and the caller check runs afterwards.
/// </summary>
[TestFixture]
[Platform("Linux")]
[SupportedOSPlatform("linux")]
public sealed class WorkloadAttestationEndToEndTests
{
    private UnixSocketServer _server = null!;
    private LinuxPeerTracker _tracker = null!;
    private WorkloadAttestationService _service = null!;

    [SetUp]
    public void SetUp()
    {
        Requires.LinuxRoot();
        var proc = new ProcFileSystem(ProcFileSystem.DefaultRoot);
        _server = new UnixSocketServer();
        _tracker = new LinuxPeerTracker(proc, new CapturingLogger<LinuxPeerTracker>());
        _service = new WorkloadAttestationService(
            [
                new UnixWorkloadAttestor(proc, new UnixAttestorOptions { DiscoverWorkloadPath = true }, new CapturingLogger<UnixWorkloadAttestor>()),
                new CgroupWorkloadAttestor(proc),
                new ContainerWorkloadAttestor(proc),
                new SystemdWorkloadAttestor(proc),
            ],
            new CapturingLogger<WorkloadAttestationService>());
    }

    [TearDown]
    public void TearDown() => _server?.Dispose();

    [Test]
    [CancelAfter(30_000)]
    public async Task AttestAsync_ConnectedChild_ReturnsItsSelectors(CancellationToken cancellationToken)
    {
        // Arrange
        await using var child = await ChildProcess.StartAsync(new ChildIdentity(4242, 4343, [5001]), ChildProcess.ConnectScript, [_server.SocketPath], cancellationToken);
        using var connection = await _server.AcceptAsync(cancellationToken);
        using var caller = _tracker.Track(connection);

        // Act
        var result = await _service.AttestAsync(caller, cancellationToken);

        // Assert
        Assert.That(result.Status, Is.EqualTo(WorkloadAttestationStatus.Succeeded));
        Assert.That(
            result.Selectors.Select(s => s.ToString()),
            Is.SupersetOf(new[] { "unix:uid:4242", "unix:gid:4343", "unix:supplementary_gid:5001" }));
        Assert.That(result.Selectors.Select(s => s.Type), Has.Member("cgroup").And.Member("unix"));
        Assert.That(result.Selectors.Select(s => s.Value), Has.Some.StartsWith("sha256:"));
    }

    /// <summary>Security invariant: once the caller is gone, attestation reports it rather than returning selectors.</summary>
    [Test]
    [CancelAfter(30_000)]
    public async Task AttestAsync_CallerExitedAfterConnecting_ReturnsCallerGone(CancellationToken cancellationToken)
    {
        // Arrange
        await using var child = await ChildProcess.StartAsync(new ChildIdentity(4242, 4343, []), ChildProcess.ConnectScript, [_server.SocketPath], cancellationToken);
        using var connection = await _server.AcceptAsync(cancellationToken);
        using var caller = _tracker.Track(connection);
        await child.ExitAsync(cancellationToken);

        // Act
        var result = await _service.AttestAsync(caller, cancellationToken);

        // Assert
        Assert.That(result.Status, Is.EqualTo(WorkloadAttestationStatus.CallerGone));
        Assert.That(result.Selectors, Is.Empty);
    }
}
