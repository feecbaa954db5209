using System.Diagnostics;
using System.Runtime.Versioning;
using Spiffe.Agent.Attestation.Attestors.Unix;
using Spiffe.Agent.Attestation.Proc;
using Spiffe.Agent.Attestation.Tests.Infrastructure;

namespace Spiffe.Agent.Attestation.Tests.Attestors.Unix;

/// <summary>The unix attestor against real child processes started under other users and groups.</summary>
[TestFixture]
[Platform("Linux")]
[SupportedOSPlatform("linux")]
public sealed class UnixWorkloadAttestorProcessTests
{
    private const string HashedEvent = "WorkloadBinaryHashed";
    private DirectoryInfo _directory = null!;
    private CapturingLogger<UnixWorkloadAttestor> _logger = null!;

    [SetUp]
    public void SetUp()
    {
        Requires.LinuxRoot();
        _directory = Directory.CreateTempSubdirectory("spiffe-unix-");
        File.WriteAllText(Path.Combine(_directory.FullName, "passwd"), "spiffe-test:x:4242:4343::/:/bin/false\n");
        File.WriteAllText(Path.Combine(_directory.FullName, "group"), "spiffe-primary:x:4343:\nspiffe-extra:x:5001:spiffe-test\n");
        _logger = new CapturingLogger<UnixWorkloadAttestor>();
    }

    [TearDown]
    public void TearDown() => _directory?.Delete(recursive: true);

    [Test]
    [CancelAfter(30_000)]
    public async Task AttestAsync_ChildUnderOtherUserWithoutGroups_ReportsItsEffectiveIds(CancellationToken cancellationToken)
    {
        // Arrange
        await using var child = await ChildProcess.StartAsync(new ChildIdentity(4242, 4343, []), ChildProcess.IdleScript, [], cancellationToken);
        var attestor = CreateAttestor(new UnixAttestorOptions());

        // Act
        var selectors = await attestor.AttestAsync(child.Pid, cancellationToken);

        // Assert
        Assert.That(selectors.Select(s => s.ToString()), Is.EqualTo(new[]
        {
            "unix:uid:4242", "unix:user:spiffe-test", "unix:gid:4343", "unix:group:spiffe-primary",
        }));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task AttestAsync_ChildWithSupplementaryGroups_ReportsEachGroup(CancellationToken cancellationToken)
    {
        // Arrange
        await using var child = await ChildProcess.StartAsync(new ChildIdentity(4242, 4343, [5001, 5002]), ChildProcess.IdleScript, [], cancellationToken);
        var attestor = CreateAttestor(new UnixAttestorOptions());

        // Act
        var selectors = await attestor.AttestAsync(child.Pid, cancellationToken);

        // Assert
        Assert.That(selectors.Select(s => s.ToString()).Skip(4), Is.EqualTo(new[]
        {
            "unix:supplementary_gid:5001", "unix:supplementary_group:spiffe-extra", "unix:supplementary_gid:5002",
        }));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task AttestAsync_DiscoverWorkloadPath_PathIsTheBinaryAndSha256MatchesSha256sum(CancellationToken cancellationToken)
    {
        // Arrange
        var binary = ResolveLinks(Requires.Python());
        var expectedDigest = await Sha256sumAsync(binary, cancellationToken);
        await using var child = await ChildProcess.StartAsync(new ChildIdentity(4242, 4343, []), ChildProcess.IdleScript, [], cancellationToken);
        var attestor = CreateAttestor(new UnixAttestorOptions { DiscoverWorkloadPath = true });

        // Act
        var selectors = await attestor.AttestAsync(child.Pid, cancellationToken);

        // Assert
        Assert.That(selectors.Select(s => s.ToString()).TakeLast(2), Is.EqualTo(new[] { "unix:path:" + binary, "unix:sha256:" + expectedDigest }));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task AttestAsync_SecondProcessOfSameBinary_UsesTheWarmCache(CancellationToken cancellationToken)
    {
        // Arrange
        var attestor = CreateAttestor(new UnixAttestorOptions { DiscoverWorkloadPath = true });
        await using var first = await ChildProcess.StartAsync(new ChildIdentity(4242, 4343, []), ChildProcess.IdleScript, [], cancellationToken);
        await using var second = await ChildProcess.StartAsync(null, ChildProcess.IdleScript, [], cancellationToken);
        var cold = await attestor.AttestAsync(first.Pid, cancellationToken);

        // Act
        var warm = await attestor.AttestAsync(second.Pid, cancellationToken);

        // Assert
        Assert.That(warm[^1], Is.EqualTo(cold[^1]));
        Assert.That(warm[^1].Value, Does.StartWith("sha256:"));
        Assert.That(_logger.Count(HashedEvent), Is.EqualTo(1));
    }

    private static string ResolveLinks(string path) => new FileInfo(path).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? path;

    private static async Task<string> Sha256sumAsync(string path, CancellationToken cancellationToken)
    {
        var startInfo = new ProcessStartInfo(Requires.Tool("sha256sum")) { RedirectStandardOutput = true };
        startInfo.ArgumentList.Add(path);
        using var process = Process.Start(startInfo)!;
        var output = await process.StandardOutput.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return output.Split(' ')[0];
    }

    private UnixWorkloadAttestor CreateAttestor(UnixAttestorOptions options)
    {
        options.PasswdPath = Path.Combine(_directory.FullName, "passwd");
        options.GroupPath = Path.Combine(_directory.FullName, "group");
        return new UnixWorkloadAttestor(new ProcFileSystem(ProcFileSystem.DefaultRoot), options, _logger);
    }
}
