using Spiffe.Agent.Attestation.Proc;
using Spiffe.Agent.Attestation.Tests.Infrastructure;

namespace Spiffe.Agent.Attestation.Tests.Proc;

[TestFixture]
public sealed class MountInfoEntryTests
{
    private static readonly object[] s_lines =
    [
        new object[] { "1543 1542 0:32 /some/root /sys/fs/cgroup ro,nosuid - cgroup2 cgroup rw,nsdelegate", "/some/root", "/sys/fs/cgroup", "cgroup2" },
        new object[] { "573 572 0:33 /docker/abc /sys/fs/cgroup/systemd ro master:11 - cgroup cgroup rw,name=systemd", "/docker/abc", "/sys/fs/cgroup/systemd", "cgroup" },
        new object[] { "573 572 0:33 / /a ro master:11 shared:2 - cgroup cgroup rw", "/", "/a", "cgroup" },
        new object[] { "119 206 0:68 / /local rw,relatime - tmpfs  rw,size=8192k", "/", "/local", "tmpfs" },
        new object[] { "120 206 0:68 /a\\040b /mnt/x\\134y rw - ext4 /dev/sda\\0401 rw", "/a b", "/mnt/x\\y", "ext4" },
    ];

    private static readonly string[] s_malformed =
    [
        "1543 1542 0:32 /some/root /sys/fs/cgroup ro cgroup2 cgroup rw",
        "1543 1542 0:32 - cgroup2 cgroup rw",
        "1543 1542 0:32 /some/root /sys/fs/cgroup rw - ",
    ];

    [TestCaseSource(nameof(s_lines))]
    public void ParseFile_Line_ReturnsFields(string line, string root, string mountPoint, string type)
    {
        // Arrange / Act
        var entry = MountInfoEntry.ParseFile(line).Single();

        // Assert
        Assert.That(entry.Root, Is.EqualTo(root));
        Assert.That(entry.MountPoint, Is.EqualTo(mountPoint));
        Assert.That(entry.FileSystemType, Is.EqualTo(type));
    }

    [TestCaseSource(nameof(s_malformed))]
    public void ParseFile_MalformedLine_ThrowsFormatException(string line)
    {
        // Arrange / Act / Assert
        Assert.That(() => MountInfoEntry.ParseFile(line), Throws.TypeOf<FormatException>());
    }

    [TestCaseSource(typeof(TestData), nameof(TestData.AllMountInfoCases))]
    public void ParseFile_EveryFixture_ParsesEveryLine(string relativePath)
    {
        // Arrange
        var text = File.ReadAllText(Path.Combine(TestData.Root, "cgroups", "common", "containerinfo", relativePath));

        // Act
        var entries = MountInfoEntry.ParseFile(text);

        // Assert
        Assert.That(entries, Has.Count.EqualTo(text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length));
        Assert.That(entries.Select(e => e.FileSystemType), Has.None.Empty);
    }

    [Test]
    public void ParseFile_TmpfsEmptySourceFixture_KeepsCgroupAndTmpfsLines()
    {
        // Arrange
        var text = File.ReadAllText(Path.Combine(TestData.ContainerInfoProcRoot("docker/tmpfs-empty-source"), "123", "mountinfo"));

        // Act
        var entries = MountInfoEntry.ParseFile(text);

        // Assert
        Assert.That(entries.Select(e => (e.FileSystemType, e.MountPoint)), Is.EqualTo(new[] { ("cgroup2", "/sys/fs/cgroup"), ("tmpfs", "/local") }));
        Assert.That(entries[0].IsCgroup, Is.True);
        Assert.That(entries[1].IsCgroup, Is.False);
    }

    [Test]
    public void ParseFile_OwnMountInfo_FindsACgroupMount()
    {
        // Arrange
        if (!Requires.IsLinux)
        {
            Assert.Ignore("needs Linux");
        }

        // Act
        var entries = MountInfoEntry.ParseFile(File.ReadAllText("/proc/self/mountinfo"));

        // Assert
        Assert.That(entries, Is.Not.Empty);
        Assert.That(entries.Select(e => e.MountPoint), Has.Some.EqualTo("/"));
    }
}
