using System.Globalization;
using System.Runtime.Versioning;
using Spiffe.Agent.Attestation.Attestors.Cgroup;
using Spiffe.Agent.Attestation.Attestors.Systemd;
using Spiffe.Agent.Attestation.Proc;
using Spiffe.Agent.Attestation.Tests.Infrastructure;

namespace Spiffe.Agent.Attestation.Tests.Attestors.Cgroup;

/// <summary>A real child moved into a real cgroup v2 created for the test.</summary>
[TestFixture]
[Platform("Linux")]
[SupportedOSPlatform("linux")]
public sealed class CgroupV2ProcessTests
{
    [Test]
    [CancelAfter(30_000)]
    public async Task AttestAsync_ChildMovedIntoNewCgroup_ReportsThatCgroupAndUnit(CancellationToken cancellationToken)
    {
        // Arrange
        Requires.LinuxRoot();
        var name = string.Create(CultureInfo.InvariantCulture, $"spiffe-attest-{Guid.NewGuid():N}.scope");
        using var cgroup = TestCgroup.Create(name);
        var proc = new ProcFileSystem(ProcFileSystem.DefaultRoot);
        var cgroupAttestor = new CgroupWorkloadAttestor(proc);
        var systemdAttestor = new SystemdWorkloadAttestor(proc);
        await using var child = await ChildProcess.StartAsync(null, ChildProcess.IdleScript, [], cancellationToken);
        cgroup.Add(child.Pid);

        try
        {
            // Act
            var cgroupSelectors = await cgroupAttestor.AttestAsync(child.Pid, cancellationToken);
            var systemdSelectors = await systemdAttestor.AttestAsync(child.Pid, cancellationToken);

            // Assert
            Assert.That(cgroupSelectors.Select(s => s.ToString()), Has.Member("cgroup:path:" + cgroup.CgroupPath));
            Assert.That(systemdSelectors.Select(s => s.ToString()), Is.EqualTo(new[] { "systemd:id:" + name }));
        }
        finally
        {
            await child.ExitAsync(cancellationToken);
        }
    }
}
