using Spiffe.Agent.Attestation.Proc;
using Spiffe.Agent.Attestation.Tests.Infrastructure;

namespace Spiffe.Agent.Attestation.Tests.Proc;

[TestFixture]
[NonParallelizable]
public sealed class ProcFileSystemTests
{
    [TestCase("/proc", "/proc/42/status")]
    [TestCase("/host/proc/", "/host/proc/42/status")]
    [TestCase("/", "/42/status")]
    public void GetProcessFile_Root_JoinsPath(string root, string expected)
    {
        // Arrange
        var proc = new ProcFileSystem(root);

        // Act
        var path = proc.GetProcessFile(42, "status");

        // Assert
        Assert.That(path, Is.EqualTo(expected));
    }

    [TestCase("/host/proc", "/host/proc")]
    [TestCase("", "/proc")]
    [TestCase(null, "/proc")]
    public void FromEnvironment_HostProc_SetsRoot(string? value, string expectedRoot)
    {
        // Arrange
        var previous = Environment.GetEnvironmentVariable(ProcFileSystem.RootVariable);
        Environment.SetEnvironmentVariable(ProcFileSystem.RootVariable, value);
        try
        {
            // Act
            var proc = ProcFileSystem.FromEnvironment();

            // Assert
            Assert.That(proc.Root, Is.EqualTo(expectedRoot));
        }
        finally
        {
            Environment.SetEnvironmentVariable(ProcFileSystem.RootVariable, previous);
        }
    }

    [Test]
    public void GetProcessDirectory_NonPositivePid_Throws()
    {
        // Arrange
        var proc = new ProcFileSystem("/proc");

        // Act / Assert
        Assert.That(() => proc.GetProcessDirectory(0), Throws.TypeOf<ArgumentOutOfRangeException>());
    }

    [Test]
    public void ReadCgroupsAndMountInfo_FixtureRoot_ReadsFixtureFiles()
    {
        // Arrange
        var proc = new ProcFileSystem(TestData.ContainerInfoProcRoot("other/mountinfo-impersonation"));

        // Act
        var cgroups = proc.ReadCgroups(TestData.FixturePid);
        var mounts = proc.ReadMountInfo(TestData.FixturePid);

        // Assert
        Assert.That(cgroups.Single().Path, Is.EqualTo("/../0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"));
        Assert.That(mounts.Single().FileSystemType, Is.EqualTo("cgroup2"));
    }

    [Test]
    public void ReadOwnProcess_RealProc_MatchesThisProcess()
    {
        // Arrange
        if (!Requires.IsLinux)
        {
            Assert.Ignore("needs Linux");
        }

        var proc = new ProcFileSystem(ProcFileSystem.DefaultRoot);
        var pid = Environment.ProcessId;

        // Act
        var stat = proc.ReadStat(pid);
        var exe = proc.ReadExecutableLink(pid);
        var cgroups = proc.ReadCgroups(pid);

        // Assert
        Assert.That(stat.Pid, Is.EqualTo(pid));
        Assert.That(exe, Is.EqualTo(Environment.ProcessPath));
        Assert.That(cgroups, Is.Not.Empty);
        Assert.That(() => proc.ReadStatus(pid), Throws.Nothing);
    }
}
