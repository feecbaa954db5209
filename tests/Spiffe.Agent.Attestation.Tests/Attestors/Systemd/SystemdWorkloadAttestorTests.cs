using Spiffe.Agent.Attestation.Attestors.Systemd;
using Spiffe.Agent.Attestation.Proc;
using Spiffe.Agent.Attestation.Tests.Infrastructure;

namespace Spiffe.Agent.Attestation.Tests.Attestors.Systemd;

[TestFixture]
public sealed class SystemdWorkloadAttestorTests
{
    private static readonly object?[] s_paths =
    [
        new object?[] { "/system.slice/nginx.service", "nginx.service" },
        new object?[] { "/init.scope", "init.scope" },
        new object?[] { "/system.slice/system-getty.slice/getty@tty1.service", "getty@tty1.service" },
        new object?[] { "/system.slice/dev-disk-by\\x2duuid.service", "dev-disk-by\\x2duuid.service" },
        new object?[] { "/user.slice/user-1000.slice/user@1000.service/app.slice/app-foo.scope", "user@1000.service" },
        new object?[] { "/system.slice/app.service/sshd.service", "app.service" },
        new object?[] { "/system.slice/docker-0123.scope/init.scope", "docker-0123.scope" },
        new object?[] { "/../crio-09bc.scope", "crio-09bc.scope" },
        new object?[] { "/system.slice/bad name.service/sshd.service", null },
        new object?[] { "/system.slice", null },
        new object?[] { "/kubepods/burstable/pod1/0123", null },
        new object?[] { "/", null },
    ];

    private static readonly object?[] s_fixtures =
    [
        new object?[] { "cgroups_pid_not_in_pod.txt", "session-2.scope" },
        new object?[] { "systemd_cgroups_pid_in_pod.txt", "docker-9bca8d63d5fa610783847915bcff0ecac1273e5b4bed3f6fa1b07350e0135961.scope" },
        new object?[] { "systemd_crio_cgroups_pid_in_pod.txt", "crio-09bc3d7ade839efec32b6bec4ec79d099027a668ddba043083ec21d3c3b8f1e6.scope" },
        new object?[] { "cgroups_pid_in_crio_pod.txt", "crio-09bc3d7ade839efec32b6bec4ec79d099027a668ddba043083ec21d3c3b8f1e6.scope" },
        new object?[] { "cgroups_pid_in_pod.txt", null },
        new object?[] { "cgroups_pid_in_kind_pod.txt", null },
    ];

    private static readonly object?[] s_layouts =
    [
        new object?[] { "1:name=systemd:/\n0::/system.slice/foo.service\n", "foo.service" },
        new object?[] { "1:name=systemd:/system.slice/foo.service\n0::/\n", "foo.service" },
        new object?[] { "1:name=systemd:/system.slice/foo.service\n0::/system.slice/bar.service\n", "foo.service" },
        new object?[] { "0::/system.slice/bar.service\n", "bar.service" },
        new object?[] { "1:name=systemd:/\n", null },
    ];

    [TestCaseSource(nameof(s_paths))]
    public void FindUnit_CgroupPath_ReturnsOutermostServiceOrScope(string path, string? expectedUnit)
    {
        // Arrange / Act
        var unit = SystemdWorkloadAttestor.FindUnit(path);

        // Assert
        Assert.That(unit, Is.EqualTo(expectedUnit));
    }

    [TestCaseSource(nameof(s_fixtures))]
    public void FindUnit_RealCgroupDump_ReturnsOwningUnit(string fileName, string? expectedUnit)
    {
        // Arrange
        var entries = CgroupEntry.ParseFile(TestData.K8sCgroupText(fileName));

        // Act
        var unit = SystemdWorkloadAttestor.FindUnit(entries);

        // Assert
        Assert.That(unit, Is.EqualTo(expectedUnit));
    }

    [TestCaseSource(nameof(s_layouts))]
    public void FindUnit_HierarchyLayouts_PrefersNamedSystemdHierarchyUnlessAtRoot(string text, string? expectedUnit)
    {
        // Arrange
        var entries = CgroupEntry.ParseFile(text);

        // Act
        var unit = SystemdWorkloadAttestor.FindUnit(entries);

        // Assert
        Assert.That(unit, Is.EqualTo(expectedUnit));
    }

    [Test]
    public async Task AttestAsync_ServiceProcess_ReturnsIdSelector()
    {
        // Arrange
        var root = Directory.CreateTempSubdirectory("spiffe-proc-");
        try
        {
            Directory.CreateDirectory(Path.Combine(root.FullName, "77"));
            await File.WriteAllTextAsync(Path.Combine(root.FullName, "77", "cgroup"), "0::/system.slice/nginx.service\n");
            var attestor = new SystemdWorkloadAttestor(new ProcFileSystem(root.FullName));

            // Act
            var selectors = await attestor.AttestAsync(77, CancellationToken.None);

            // Assert
            Assert.That(selectors.Select(s => s.ToString()), Is.EqualTo(new[] { "systemd:id:nginx.service" }));
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }
}
