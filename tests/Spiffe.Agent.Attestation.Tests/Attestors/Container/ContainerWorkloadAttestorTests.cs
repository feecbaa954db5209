using Spiffe.Agent.Attestation.Attestors.Container;
using Spiffe.Agent.Attestation.Proc;
using Spiffe.Agent.Attestation.Tests.Infrastructure;
using Spiffe.Agent.Core.Attestation;

namespace Spiffe.Agent.Attestation.Tests.Attestors.Container;

[TestFixture]
public sealed class ContainerWorkloadAttestorTests
{
    private const string TestContainerId = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    private const string TestPodUid = "00000000-1111-2222-3333-444444444444";

    private static readonly object?[] s_found =
    [
        new object?[] { "docker/v1", null },
        new object?[] { "docker/v2", null },
        new object?[] { "docker/cgroup-mount-at-slash/v1", null },
        new object?[] { "docker/cgroup-mount-at-slash/v2", null },
        new object?[] { "docker/tmpfs-empty-source", null },
        new object?[] { "k8s/v1", TestPodUid },
        new object?[] { "k8s/v2", TestPodUid },
        new object?[] { "k8s/pod-uid-override", TestPodUid },
        new object?[] { "other/cgroup-primary", null },
        new object?[] { "other/mountinfo-fallback", TestPodUid },
        new object?[] { "other/mountinfo-impersonation", null },
    ];

    private static readonly string[] s_notFound =
    [
        "docker/no-cgroup-mount",
        "k8s/no-cgroup-mount",
        "other/malformed",
        "does-not-exist",
    ];

    private static readonly object[] s_conflicts =
    [
        new object[] { "docker/container-id-conflict", "multiple container IDs found" },
        new object[] { "k8s/container-id-conflict", "multiple container IDs found" },
        new object[] { "k8s/pod-uid-conflict", "multiple pod UIDs found" },
    ];

    [TestCaseSource(nameof(s_found))]
    public void Locate_ContainerFixture_FindsContainer(string testCase, string? expectedPodUid)
    {
        // Arrange
        var attestor = new ContainerWorkloadAttestor(new ProcFileSystem(TestData.ContainerInfoProcRoot(testCase)));

        // Act
        var info = attestor.Locate(TestData.FixturePid);

        // Assert
        Assert.That(info, Is.EqualTo(new ContainerInfo(TestContainerId, expectedPodUid)));
    }

    [TestCaseSource(nameof(s_notFound))]
    public async Task AttestAsync_NotAContainer_ReturnsNoSelectorsAndNoError(string testCase)
    {
        // Arrange
        var attestor = new ContainerWorkloadAttestor(new ProcFileSystem(TestData.ContainerInfoProcRoot(testCase)));

        // Act
        var selectors = await attestor.AttestAsync(TestData.FixturePid, CancellationToken.None);

        // Assert
        Assert.That(selectors, Is.Empty);
    }

    [TestCaseSource(nameof(s_conflicts))]
    public void AttestAsync_ConflictingFixture_Fails(string testCase, string expectedMessage)
    {
        // Arrange
        var attestor = new ContainerWorkloadAttestor(new ProcFileSystem(TestData.ContainerInfoProcRoot(testCase)));

        // Act / Assert
        Assert.That(
            async () => await attestor.AttestAsync(TestData.FixturePid, CancellationToken.None),
            Throws.TypeOf<WorkloadAttestorException>().With.Message.Contains(expectedMessage));
    }

    [Test]
    public async Task AttestAsync_KubernetesPod_ReturnsIdAndPodUidSelectors()
    {
        // Arrange
        var attestor = new ContainerWorkloadAttestor(new ProcFileSystem(TestData.ContainerInfoProcRoot("k8s/v2")));

        // Act
        var selectors = await attestor.AttestAsync(TestData.FixturePid, CancellationToken.None);

        // Assert
        Assert.That(
            selectors.Select(s => s.ToString()),
            Is.EqualTo(new[] { "container:id:" + TestContainerId, "container:pod_uid:" + TestPodUid }));
    }

    /// <summary>
    /// Security invariant "cgroup beats mountinfo": the workload controls its mount namespace and here bind-mounts
    /// another pod's container cgroup, but the kernel's cgroup file names its real container, and only that counts.
    /// </summary>
    [Test]
    public async Task AttestAsync_MountInfoImpersonation_CgroupFileWins()
    {
        // Arrange
        var root = TestData.ContainerInfoProcRoot("other/mountinfo-impersonation");
        var attestor = new ContainerWorkloadAttestor(new ProcFileSystem(root));
        var forgedRoot = new ProcFileSystem(root).ReadMountInfo(TestData.FixturePid).Single().Root;

        // Act
        var selectors = await attestor.AttestAsync(TestData.FixturePid, CancellationToken.None);

        // Assert
        Assert.That(forgedRoot, Does.Contain("deadbeef").And.Contain("podffffffff"));
        Assert.That(selectors.Select(s => s.ToString()), Is.EqualTo(new[] { "container:id:" + TestContainerId }));
    }
}
