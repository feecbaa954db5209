using Spiffe.Agent.Attestation.Attestors.Container;
using Spiffe.Agent.Attestation.Proc;
using Spiffe.Agent.Attestation.Tests.Infrastructure;
using Spiffe.Agent.Core.Attestation;

namespace Spiffe.Agent.Attestation.Tests.Attestors.Container;

[TestFixture]
public sealed class ContainerInfoExtractorTests
{
    private const string CrioId = "09bc3d7ade839efec32b6bec4ec79d099027a668ddba043083ec21d3c3b8f1e6";
    private const string DockerInPodId = "9bca8d63d5fa610783847915bcff0ecac1273e5b4bed3f6fa1b07350e0135961";
    private const string ConmonId = "20d8ec296f8e480195d35056548d49a6409966957741d2205601c66fe1effceb";

    // The cgroup file of a CRI-O conmon process from spire#4088: v1 lines at "/" and the conmon scope.
    private const string CrioConmonCgroups =
        "12:pids:/system.slice/crio-conmon-" + ConmonId + ".scope\n11:hugetlb:/\n" +
        "10:memory:/system.slice/crio-conmon-" + ConmonId + ".scope\n9:cpuset:/\n8:rdma:/\n7:net_cls,net_prio:/\n" +
        "6:perf_event:/\n5:freezer:/\n4:devices:/system.slice/crio-conmon-" + ConmonId + ".scope\n" +
        "3:blkio:/system.slice/crio-conmon-" + ConmonId + ".scope\n2:cpu,cpuacct:/system.slice/crio-conmon-" + ConmonId + ".scope\n" +
        "1:name=systemd:/system.slice/crio-conmon-" + ConmonId + ".scope\n0::/system.slice/crio.service\n";

    private static readonly object?[] s_k8sFixtures =
    [
        new object?[] { "cgroups_pid_in_pod.txt", "2c48913c-b29f-11e7-9350-020968147796", DockerInPodId },
        new object?[] { "cgroups_init_pid_in_pod.txt", "d488cae9-b2a0-11e7-9350-020968147796", "34a2062fd26c805aa8cf814cdfe479322b791f80afb9ea4db02d50375df14b41" },
        new object?[] { "cgroups_pid_in_crio_pod.txt", null, CrioId },
        new object?[] { "cgroups_pid_in_kind_pod.txt", "a2830d0d-b0f0-4ff0-81b5-0ee4e299cf80", CrioId },
        new object?[] { "systemd_cgroups_pid_in_pod.txt", "2c48913c-b29f-11e7-9350-020968147796", DockerInPodId },
        new object?[] { "systemd_crio_cgroups_pid_in_pod.txt", "a2830d0d-b0f0-4ff0-81b5-0ee4e299cf80", CrioId },
        new object?[] { "cgroups_pid_not_in_pod.txt", null, null },
    ];

    private static readonly object?[] s_paths =
    [
        new object?[] { "/docker/" + CrioId, null, CrioId },
        new object?[] { "/system.slice/docker-" + CrioId + ".scope", null, CrioId },
        new object?[] { "/machine.slice/libpod-" + CrioId + ".scope/container", null, CrioId },
        new object?[] { "/user.slice/user-1000.slice/user@1000.service/user.slice/libpod-" + CrioId + ".scope", null, CrioId },
        new object?[] { "/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod72f7f152_440c_66ac_9084_e0fc1d8a910c.slice/cri-containerd-" + CrioId + ".scope", "72f7f152-440c-66ac-9084-e0fc1d8a910c", CrioId },
        new object?[] { "/kubepods-besteffort-pod72f7f152_440c_66ac_9084_e0fc1d8a910c.slice:cri-containerd:" + CrioId, "72f7f152-440c-66ac-9084-e0fc1d8a910c", CrioId },
        new object?[] { "/kubepods/besteffort/pod72f7f152-440c-66ac-9084-e0fc1d8a910c/" + CrioId.ToUpperInvariant(), "72f7f152-440c-66ac-9084-e0fc1d8a910c", CrioId.ToUpperInvariant() },
        new object?[] { "/../crio-conmon-" + CrioId + ".scope", null, CrioId },
        new object?[] { "/docker/" + CrioId + "a", null, null },
        new object?[] { "/docker/" + CrioId + "_x", null, null },
        new object?[] { "/docker/" + CrioId[..63], null, null },
        new object?[] { "/pod72f7f152-440c-66ac-9084-e0fc1d8a910c", null, null },
        new object?[] { "/", null, null },
    ];

    private static readonly object[] s_conflicts =
    [
        new object[] { "1:cpu:/docker/" + CrioId + "\n2:memory:/docker/" + DockerInPodId + "\n", "multiple container IDs found" },
        new object[] { "1:cpu:/kubepods/podaaaaaaaa-1111-2222-3333-444444444444/" + CrioId + "\n2:memory:/kubepods/podbbbbbbbb-1111-2222-3333-444444444444/" + CrioId + "\n", "multiple pod UIDs found" },
        new object[] { "1:cpu:/kubepods/podaaaaaaaa-1111-2222-3333-444444444444/" + CrioId + "\n2:memory:/kubepods/podaaaaaaaa-1111-2222-3333-444444444444/" + DockerInPodId + "\n", "multiple container IDs found" },
    ];

    [TestCaseSource(nameof(s_k8sFixtures))]
    public void FromPaths_RealCgroupDump_FindsPodAndContainer(string fileName, string? expectedPodUid, string? expectedContainerId)
    {
        // Arrange
        var entries = CgroupEntry.ParseFile(TestData.K8sCgroupText(fileName));

        // Act
        var info = ContainerInfoExtractor.FromPaths(entries.Select(e => e.Path));

        // Assert
        Assert.That(info.PodUid, Is.EqualTo(expectedPodUid));
        Assert.That(info.ContainerId, Is.EqualTo(expectedContainerId));
    }

    [TestCaseSource(nameof(s_paths))]
    public void FromPath_RuntimePathShapes_FindsIdentifiers(string path, string? expectedPodUid, string? expectedContainerId)
    {
        // Arrange / Act
        var (podUid, containerId) = ContainerInfoExtractor.FromPath(path);

        // Assert
        Assert.That(podUid, Is.EqualTo(expectedPodUid));
        Assert.That(containerId, Is.EqualTo(expectedContainerId));
    }

    [Test]
    public void FromPaths_CrioConmonProcess_ReportsTheMonitoredContainerWithoutConflict()
    {
        // Arrange
        var entries = CgroupEntry.ParseFile(CrioConmonCgroups);

        // Act
        var info = ContainerInfoExtractor.FromPaths(entries.Select(e => e.Path));

        // Assert
        Assert.That(info, Is.EqualTo(new ContainerInfo(ConmonId, null)));
    }

    [TestCaseSource(nameof(s_conflicts))]
    public void FromPaths_ConflictingIdentifiers_Throws(string cgroupText, string expectedMessage)
    {
        // Arrange
        var entries = CgroupEntry.ParseFile(cgroupText);

        // Act / Assert
        Assert.That(
            () => ContainerInfoExtractor.FromPaths(entries.Select(e => e.Path)),
            Throws.TypeOf<WorkloadAttestorException>().With.Message.Contains(expectedMessage));
    }
}
