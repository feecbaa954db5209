using System.Runtime.Versioning;
using Spiffe.Agent.Attestation.Attestors.Unix;
using Spiffe.Agent.Attestation.Proc;
using Spiffe.Agent.Attestation.Tests.Infrastructure;
using Spiffe.Agent.Core.Attestation;

namespace Spiffe.Agent.Attestation.Tests.Attestors.Unix;

/// <summary>The unix attestor against a fake procfs root: a status file and an <c>exe</c> symlink to a temp file.</summary>
[TestFixture]
[Platform("Linux")]
[SupportedOSPlatform("linux")]
public sealed class UnixWorkloadAttestorTests
{
    private const int Pid = 4321;
    private const string HashedEvent = "WorkloadBinaryHashed";

    // sha256("hello\n"), as printed by sha256sum.
    private const string HelloSha256 = "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03";

    private DirectoryInfo _root = null!;
    private string _binary = null!;
    private CapturingLogger<UnixWorkloadAttestor> _logger = null!;

    [SetUp]
    public void SetUp()
    {
        _root = Directory.CreateTempSubdirectory("spiffe-unix-");
        var processDirectory = Directory.CreateDirectory(Path.Combine(_root.FullName, "proc", "4321"));
        File.WriteAllText(
            Path.Combine(processDirectory.FullName, "status"),
            "Name:\tworkload\nUid:\t1000\t1001\t1001\t1001\nGid:\t2000\t2001\t2001\t2001\nGroups:\t3000 3001 \n");
        _binary = Path.Combine(_root.FullName, "bin", "workload");
        Directory.CreateDirectory(Path.GetDirectoryName(_binary)!);
        File.WriteAllText(_binary, "hello\n");
        File.CreateSymbolicLink(Path.Combine(processDirectory.FullName, "exe"), _binary);
        File.WriteAllText(Path.Combine(_root.FullName, "passwd"), "alice:x:1001:2001::/home/alice:/bin/sh\n");
        File.WriteAllText(Path.Combine(_root.FullName, "group"), "staff:x:2001:\nwheel:x:3000:alice\n");
        _logger = new CapturingLogger<UnixWorkloadAttestor>();
    }

    [TearDown]
    public void TearDown() => _root.Delete(recursive: true);

    [Test]
    public async Task AttestAsync_DefaultOptions_ReturnsSpireSelectorsInOrder()
    {
        // Arrange
        var attestor = CreateAttestor(new UnixAttestorOptions());

        // Act
        var selectors = await attestor.AttestAsync(Pid, CancellationToken.None);

        // Assert
        Assert.That(selectors.Select(s => s.ToString()), Is.EqualTo(new[]
        {
            "unix:uid:1001", "unix:user:alice", "unix:gid:2001", "unix:group:staff",
            "unix:supplementary_gid:3000", "unix:supplementary_group:wheel", "unix:supplementary_gid:3001",
        }));
    }

    [TestCase(0L)]
    [TestCase(6L)]
    [TestCase(1L << 40)]
    public async Task AttestAsync_DiscoverWorkloadPathWithinLimit_AddsPathAndSha256(long sizeLimit)
    {
        // Arrange
        var attestor = CreateAttestor(new UnixAttestorOptions { DiscoverWorkloadPath = true, WorkloadSizeLimit = sizeLimit });

        // Act
        var selectors = await attestor.AttestAsync(Pid, CancellationToken.None);

        // Assert
        Assert.That(selectors.Select(s => s.ToString()).TakeLast(2), Is.EqualTo(new[] { "unix:path:" + _binary, "unix:sha256:" + HelloSha256 }));
    }

    [Test]
    public async Task AttestAsync_NegativeSizeLimit_AddsPathButNeverHashes()
    {
        // Arrange
        var attestor = CreateAttestor(new UnixAttestorOptions { DiscoverWorkloadPath = true, WorkloadSizeLimit = -1 });

        // Act
        var selectors = await attestor.AttestAsync(Pid, CancellationToken.None);

        // Assert
        Assert.That(selectors.Select(s => s.Value), Has.Member("path:" + _binary).And.None.StartsWith("sha256:"));
        Assert.That(_logger.Count(HashedEvent), Is.Zero);
    }

    [Test]
    public void AttestAsync_BinaryOverSizeLimit_Fails()
    {
        // Arrange
        var attestor = CreateAttestor(new UnixAttestorOptions { DiscoverWorkloadPath = true, WorkloadSizeLimit = 5 });

        // Act / Assert
        Assert.That(
            async () => await attestor.AttestAsync(Pid, CancellationToken.None),
            Throws.TypeOf<WorkloadAttestorException>().With.Message.Contains("exceeds size limit (6 > 5)"));
    }

    [Test]
    public async Task AttestAsync_WarmCache_DoesNotHashAgainUntilTheFileIsReplaced()
    {
        // Arrange
        var attestor = CreateAttestor(new UnixAttestorOptions { DiscoverWorkloadPath = true });
        await attestor.AttestAsync(Pid, CancellationToken.None);

        // Act
        var warm = await attestor.AttestAsync(Pid, CancellationToken.None);
        var hashesWhenWarm = _logger.Count(HashedEvent);
        var replacement = _binary + ".new";
        await File.WriteAllTextAsync(replacement, "world\n");
        File.Move(replacement, _binary, overwrite: true);
        var replaced = await attestor.AttestAsync(Pid, CancellationToken.None);

        // Assert
        Assert.That(warm.Select(s => s.Value), Has.Member("sha256:" + HelloSha256));
        Assert.That(hashesWhenWarm, Is.EqualTo(1));
        Assert.That(replaced.Select(s => s.Value), Has.Member("sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("world\n"u8))));
        Assert.That(_logger.Count(HashedEvent), Is.EqualTo(2));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task AttestAsync_BinaryExclusivelyLockedByAnotherProcess_StillHashes(CancellationToken cancellationToken)
    {
        // Arrange: any process that can read a shared binary can flock it; that must not block attestation
        await using var locker = await ChildProcess.StartAsync(null, ChildProcess.FlockScript, [_binary], cancellationToken);
        var attestor = CreateAttestor(new UnixAttestorOptions { DiscoverWorkloadPath = true });

        // Act
        var selectors = await attestor.AttestAsync(Pid, cancellationToken);

        // Assert
        Assert.That(selectors.Select(s => s.Value), Has.Member("sha256:" + HelloSha256));
    }

    [Test]
    public void AttestAsync_MissingProcess_Fails()
    {
        // Arrange
        var attestor = CreateAttestor(new UnixAttestorOptions());

        // Act / Assert
        Assert.That(
            async () => await attestor.AttestAsync(Pid + 1, CancellationToken.None),
            Throws.TypeOf<WorkloadAttestorException>().With.Message.Contains("status of PID 4322"));
    }

    [Test]
    public void AttestAsync_CancelledToken_Throws()
    {
        // Arrange
        var attestor = CreateAttestor(new UnixAttestorOptions());

        // Act / Assert
        Assert.That(
            async () => await attestor.AttestAsync(Pid, new CancellationToken(canceled: true)),
            Throws.InstanceOf<OperationCanceledException>());
    }

    private UnixWorkloadAttestor CreateAttestor(UnixAttestorOptions options)
    {
        options.PasswdPath = Path.Combine(_root.FullName, "passwd");
        options.GroupPath = Path.Combine(_root.FullName, "group");
        return new UnixWorkloadAttestor(new ProcFileSystem(Path.Combine(_root.FullName, "proc")), options, _logger);
    }
}
