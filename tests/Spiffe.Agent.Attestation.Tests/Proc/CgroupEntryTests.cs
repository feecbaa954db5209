using Spiffe.Agent.Attestation.Proc;
using Spiffe.Agent.Attestation.Tests.Infrastructure;

namespace Spiffe.Agent.Attestation.Tests.Proc;

[TestFixture]
public sealed class CgroupEntryTests
{
    private static readonly string[] s_k8sFixtures =
    [
        "cgroups_init_pid_in_pod.txt",
        "cgroups_pid_in_crio_pod.txt",
        "cgroups_pid_in_kind_pod.txt",
        "cgroups_pid_in_pod.txt",
        "cgroups_pid_not_in_pod.txt",
        "systemd_cgroups_pid_in_pod.txt",
        "systemd_crio_cgroups_pid_in_pod.txt",
    ];

    private static readonly string[] s_malformed = ["1:cpu\n", "x:cpu:/a\n", "1:cpu:\n", "-1:cpu:/a\n"];

    [TestCaseSource(nameof(s_k8sFixtures))]
    public void ParseFile_RealCgroupDump_ParsesEveryLine(string fileName)
    {
        // Arrange
        var text = TestData.K8sCgroupText(fileName);

        // Act
        var entries = CgroupEntry.ParseFile(text);

        // Assert
        Assert.That(entries, Has.Count.EqualTo(text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length));
        Assert.That(entries.Select(e => e.Path), Has.All.StartsWith("/"));
    }

    [Test]
    public void ParseFile_V1AndV2Lines_SplitsControllersAndKeepsPath()
    {
        // Arrange
        const string Text = "4:cpu,cpuacct:/kubepods/pod1/abc\n1:name=systemd:/user.slice\n0::/system.slice/a:b.service\n";

        // Act
        var entries = CgroupEntry.ParseFile(Text);

        // Assert
        Assert.That(entries, Has.Count.EqualTo(3));
        Assert.That(entries[0].HierarchyId, Is.EqualTo(4));
        Assert.That(entries[0].Controllers, Is.EqualTo(new[] { "cpu", "cpuacct" }));
        Assert.That(entries[0].IsUnified, Is.False);
        Assert.That(entries[1].Controllers, Is.EqualTo(new[] { "name=systemd" }));
        Assert.That(entries[2].IsUnified, Is.True);
        Assert.That(entries[2].Controllers, Is.Empty);
        Assert.That(entries[2].Path, Is.EqualTo("/system.slice/a:b.service"));
    }

    [TestCaseSource(nameof(s_malformed))]
    public void ParseFile_MalformedLine_ThrowsFormatException(string text)
    {
        // Arrange / Act / Assert
        Assert.That(() => CgroupEntry.ParseFile(text), Throws.TypeOf<FormatException>());
    }
}
