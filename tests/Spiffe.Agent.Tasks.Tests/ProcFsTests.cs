using Spiffe.Agent.Tasks.Linux;

namespace Spiffe.Agent.Tasks.Tests;

[TestFixture]
public sealed class ProcFsTests
{
    [Test]
    public void ParseStat_CommandWithParenthesesAndSpaces_ReadsStateAndStartTime()
    {
        // Arrange
        const string Stat = "1234 (evil) (cmd x) T 1 1234 1234 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 987654 1000 200 18446744073709551615\n";

        // Act
        var stat = ProcFs.ParseStat(Stat);

        // Assert
        Assert.That(stat, Is.EqualTo(new ProcStat('T', 987654)));
    }

    [Test]
    public void ParseStat_Truncated_Throws()
    {
        // Act + Assert
        Assert.That(() => ProcFs.ParseStat("1 (init) S 0 1"), Throws.InstanceOf<FormatException>());
    }

    [Test]
    public void ParseCgroupV2Path_HybridHost_ReturnsUnifiedLine()
    {
        // Arrange
        const string Cgroup = "9:name=systemd:/\n4:memory:/process_api/x\n0::/spiffe/task-1\n";

        // Act
        var path = ProcFs.ParseCgroupV2Path(Cgroup);

        // Assert
        Assert.That(path, Is.EqualTo("/spiffe/task-1"));
    }

    [Test]
    public void ParseEffectiveUid_Status_ReadsSecondColumn()
    {
        // Arrange
        const string Status = "Name:\tsleep\nUid:\t1000\t1001\t1002\t1003\nGid:\t0\t0\t0\t0\n";

        // Act
        var uid = ProcFs.ParseEffectiveUid(Status);

        // Assert
        Assert.That(uid, Is.EqualTo(1001));
    }

    [Test]
    public void TryReadStat_Self_IsRunningWithStartTime()
    {
        // Act
        var stat = new ProcFs("/proc").TryReadStat(Environment.ProcessId);

        // Assert
        Assert.That(stat, Is.Not.Null);
        Assert.That(stat!.StartTime, Is.GreaterThan(0UL));
    }

    [Test]
    public void TryReadStat_NoSuchProcess_Null()
    {
        // Act
        var stat = new ProcFs("/proc").TryReadStat(int.MaxValue);

        // Assert
        Assert.That(stat, Is.Null);
    }

    [Test]
    public async Task PidFd_ProcessExits_HasExitedBecomesTrue()
    {
        // Arrange
        using var process = Tests.TestSupport.TestProcesses.Start("sleep", "30");
        using var pidfd = PidFd.TryOpen(process.Id);
        var before = pidfd!.HasExited();

        // Act
        var signalled = pidfd.TrySendSignal(9);
        await process.WaitForExitAsync();

        // Assert
        Assert.That(before, Is.False);
        Assert.That(signalled, Is.True);
        Assert.That(pidfd.HasExited(), Is.True);
        Assert.That(pidfd.TrySendSignal(9), Is.False, "signalling a reaped process through its pidfd never hits a recycled PID");
    }

    [Test]
    public void PidFd_NoSuchProcess_Null()
    {
        // Act
        using var pidfd = PidFd.TryOpen(int.MaxValue);

        // Assert
        Assert.That(pidfd, Is.Null);
    }
}
