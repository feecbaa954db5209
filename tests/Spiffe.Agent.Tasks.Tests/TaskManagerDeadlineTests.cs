using Microsoft.Extensions.Time.Testing;
using Spiffe.Agent.Tasks.Revocation;
using Spiffe.Agent.Tasks.Tests.TestSupport;

namespace Spiffe.Agent.Tasks.Tests;

/// <summary>Deadlines on a fake clock, driven through a <see cref="TaskMonitor"/> whose timer runs on that clock.</summary>
[TestFixture]
public sealed class TaskManagerDeadlineTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    private FakeTimeProvider time = null!;
    private TaskFixture fixture = null!;
    private TaskMonitor monitor = null!;
    private TaskEventRecorder events = null!;

    private TaskManager Manager => fixture.Manager;

    [SetUp]
    public async Task SetUp()
    {
        time = new FakeTimeProvider(Start);
        fixture = new TaskFixture(time);
        events = new TaskEventRecorder(fixture.Manager);
        monitor = fixture.CreateMonitor();
        await monitor.StartAsync(CancellationToken.None);
    }

    [TearDown]
    public async Task TearDown()
    {
        await monitor.StopAsync(CancellationToken.None);
        monitor.Dispose();
        await events.DisposeAsync();
        await fixture.DisposeAsync();
    }

    [Test]
    public async Task Monitor_DeadlinePassed_EndsTaskButLeavesProcesses()
    {
        // Arrange
        var sleeper = fixture.StartProcess("sleep", "30");
        await Manager.StartTaskAsync(
            new StartTaskRequest { Agent = "researcher", TaskId = "timed", Ttl = TimeSpan.FromSeconds(10), MainPid = sleeper.Id },
            CancellationToken.None);
        await Manager.RecordIssuedAsync("timed", IssuedCredential.Jwt("jti-timed", Start.AddSeconds(10)), CancellationToken.None);
        await events.NextAsync<TaskStarted>("timed");

        // Act
        time.Advance(TimeSpan.FromSeconds(9));
        await Manager.CheckTasksAsync(CancellationToken.None);
        var stillActive = Manager.Find("timed");
        time.Advance(TimeSpan.FromSeconds(1));
        var ended = await events.NextAsync<TaskEnded>("timed");

        // Assert
        Assert.That(stillActive, Is.Not.Null);
        Assert.That(ended.Reason, Is.EqualTo(TaskEndReason.DeadlineReached));
        Assert.That(ended.At, Is.EqualTo(Start.AddSeconds(10)));
        Assert.That(fixture.Revocations.IsRevokedJti("jti-timed"), Is.True);
        Assert.That(TestProcesses.IsAlive(sleeper.Id), Is.True, "without kill-on-expiry the process lives on");
        Assert.That(Manager.FindByProcess(sleeper.Id), Is.Null);
    }

    [Test]
    public async Task Monitor_DeadlinePassedWithKillOnExpiry_KillsWholeCgroupAndRemovesIt()
    {
        // Arrange
        var (lease, run) = await fixture.LaunchAsync(
            new StartTaskRequest { Agent = "researcher", TaskId = "reaped", Ttl = TimeSpan.FromSeconds(30), KillOnExpiry = true },
            "sh", "-c", "sleep 30 & wait");
        var directory = Manager.CgroupDirectoryFor("reaped");
        await Wait.UntilAsync(() => TestProcesses.ProcessesIn(directory).Count == 2, "the shell has started sleep");
        var child = TestProcesses.ProcessesIn(directory).Single(p => p != lease.MainPid);
        await events.NextAsync<TaskStarted>("reaped");

        // Act
        time.Advance(TimeSpan.FromSeconds(30));
        var ended = await events.NextAsync<TaskEnded>("reaped");

        // Assert
        Assert.That(ended.Reason, Is.EqualTo(TaskEndReason.DeadlineReached));
        Assert.That(await run.WithTimeout(), Is.EqualTo(137));
        await Wait.UntilAsync(() => !TestProcesses.IsAlive(child), "the grandchild is killed");
        await Wait.UntilAsync(
            async () =>
            {
                await Manager.CheckTasksAsync(CancellationToken.None);
                return !Directory.Exists(directory);
            },
            "the emptied cgroup is removed");
    }

    [Test]
    public async Task Monitor_ParentDeadlineWithKillOnExpiry_KillsChildTaskToo()
    {
        // Arrange
        var childMain = fixture.StartProcess("sleep", "30");
        await Manager.StartTaskAsync(
            new StartTaskRequest { Agent = "planner", TaskId = "parent", Ttl = TimeSpan.FromSeconds(20) }, CancellationToken.None);
        await Manager.StartTaskAsync(
            new StartTaskRequest { Agent = "researcher", TaskId = "child", ParentTaskId = "parent", MainPid = childMain.Id, KillOnExpiry = true, Ttl = TimeSpan.FromSeconds(20) },
            CancellationToken.None);
        await events.NextAsync<TaskStarted>("child");

        // Act
        time.Advance(TimeSpan.FromSeconds(20));
        var parentEnded = await events.NextAsync<TaskEnded>("parent");
        var childEnded = await events.NextAsync<TaskEnded>("child");

        // Assert
        Assert.That(parentEnded.Reason, Is.EqualTo(TaskEndReason.DeadlineReached));
        Assert.That(childEnded.Reason, Is.EqualTo(TaskEndReason.ParentEnded));
        await childMain.WaitForExitAsync().WithTimeout();
    }

    [Test]
    public async Task StartTaskAsync_NoTtl_UsesDefaultTtl()
    {
        // Act
        var lease = await Manager.StartTaskAsync(new StartTaskRequest { Agent = "researcher" }, CancellationToken.None);

        // Assert
        Assert.That(lease.Deadline, Is.EqualTo(Start + fixture.Options.DefaultTtl));
        Assert.That(TaskNames.IsValid(lease.TaskId), Is.True);
    }

    [Test]
    public async Task StartTaskAsync_ChildWithoutTtl_InheritsParentDeadline()
    {
        // Arrange
        var parent = await Manager.StartTaskAsync(
            new StartTaskRequest { Agent = "planner", TaskId = "parent", Ttl = TimeSpan.FromMinutes(2) }, CancellationToken.None);

        // Act
        var child = await Manager.StartTaskAsync(
            new StartTaskRequest { Agent = "researcher", TaskId = "child", ParentTaskId = "parent" }, CancellationToken.None);

        // Assert
        Assert.That(child.Deadline, Is.EqualTo(parent.Deadline));
        Assert.That(child.ParentTaskId, Is.EqualTo("parent"));
    }

    [Test]
    public async Task StartTaskAsync_Deadline_UsesIt()
    {
        // Act
        var lease = await Manager.StartTaskAsync(
            new StartTaskRequest { Agent = "researcher", TaskId = "abs", Deadline = Start.AddMinutes(7) }, CancellationToken.None);

        // Assert
        Assert.That(lease.Deadline, Is.EqualTo(Start.AddMinutes(7)));
        Assert.That(lease.StartedAt, Is.EqualTo(Start));
    }

    [Test]
    public async Task Monitor_RevokedCredentialExpired_PrunesRevocationList()
    {
        // Arrange
        await Manager.StartTaskAsync(new StartTaskRequest { Agent = "researcher", TaskId = "short" }, CancellationToken.None);
        await Manager.RecordIssuedAsync("short", IssuedCredential.Jwt("jti-short", Start.AddSeconds(30)), CancellationToken.None);
        await Manager.EndTaskAsync("short", TaskEndReason.Explicit, kill: false, CancellationToken.None);

        // Act
        time.Advance(TimeSpan.FromSeconds(30) + fixture.Options.RevocationRetention);
        await Wait.UntilAsync(() => fixture.Revocations.Snapshot().Count == 0 && !File.ReadAllText(RevocationFile).Contains("jti-short", StringComparison.Ordinal), "the monitor prunes");

        // Assert
        Assert.That(fixture.Revocations.IsRevokedJti("jti-short"), Is.False);
    }

    private string RevocationFile => Path.Combine(fixture.Options.DataDirectory, "revocations.json");
}
