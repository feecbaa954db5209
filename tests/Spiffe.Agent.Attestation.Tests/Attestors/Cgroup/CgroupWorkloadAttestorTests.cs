using Spiffe.Agent.Attestation.Attestors.Cgroup;
using Spiffe.Agent.Attestation.Proc;
using Spiffe.Agent.Attestation.Tests.Infrastructure;
using Spiffe.Agent.Core.Attestation;

namespace Spiffe.Agent.Attestation.Tests.Attestors.Cgroup;

[TestFixture]
public sealed class CgroupWorkloadAttestorTests
{
    private static readonly object[] s_texts =
    [
        new object[] { "0::/system.slice/nginx.service\n", new[] { "cgroup:path:/system.slice/nginx.service" } },
        new object[] { "0::/\n", new[] { "cgroup:path:/" } },
        new object[]
        {
            "4:cpu,cpuacct:/kubepods/a\n1:name=systemd:/user.slice\n0::/\n",
            new[] { "cgroup:v1:cpu:/kubepods/a", "cgroup:v1:cpuacct:/kubepods/a", "cgroup:v1:name=systemd:/user.slice", "cgroup:path:/" },
        },
        new object[]
        {
            TestData.K8sCgroupText("cgroups_pid_in_crio_pod.txt"),
            new[] { "cgroup:path:/../crio-09bc3d7ade839efec32b6bec4ec79d099027a668ddba043083ec21d3c3b8f1e6.scope" },
        },
    ];

    [TestCaseSource(nameof(s_texts))]
    public void ToSelectors_CgroupLines_ReturnsPathAndPerControllerSelectors(string text, string[] expected)
    {
        // Arrange
        var entries = CgroupEntry.ParseFile(text);

        // Act
        var selectors = CgroupWorkloadAttestor.ToSelectors(entries);

        // Assert
        Assert.That(selectors.Select(s => s.ToString()), Is.EqualTo(expected));
    }

    [Test]
    public void ToSelectors_RealV1Dump_OneSelectorPerController()
    {
        // Arrange
        var entries = CgroupEntry.ParseFile(TestData.K8sCgroupText("cgroups_pid_in_pod.txt"));

        // Act
        var selectors = CgroupWorkloadAttestor.ToSelectors(entries);

        // Assert
        Assert.That(selectors, Has.Count.EqualTo(entries.Sum(e => e.Controllers.Count)));
        Assert.That(selectors.Select(s => s.ToString()), Has.Member(
            "cgroup:v1:net_prio:/kubepods/burstable/pod2c48913c-b29f-11e7-9350-020968147796/9bca8d63d5fa610783847915bcff0ecac1273e5b4bed3f6fa1b07350e0135961"));
    }

    [Test]
    public async Task AttestAsync_FixtureRoot_ReadsCgroupFile()
    {
        // Arrange
        var attestor = new CgroupWorkloadAttestor(new ProcFileSystem(TestData.ContainerInfoProcRoot("other/cgroup-primary")));

        // Act
        var selectors = await attestor.AttestAsync(TestData.FixturePid, CancellationToken.None);

        // Assert
        Assert.That(
            selectors.Select(s => s.ToString()),
            Is.EqualTo(new[] { "cgroup:path:/../0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef" }));
    }

    [Test]
    public void AttestAsync_MissingProcess_Fails()
    {
        // Arrange
        var attestor = new CgroupWorkloadAttestor(new ProcFileSystem(TestData.ContainerInfoProcRoot("does-not-exist")));

        // Act / Assert
        Assert.That(
            async () => await attestor.AttestAsync(TestData.FixturePid, CancellationToken.None),
            Throws.TypeOf<WorkloadAttestorException>().With.Message.Contains("PID 123"));
    }
}
