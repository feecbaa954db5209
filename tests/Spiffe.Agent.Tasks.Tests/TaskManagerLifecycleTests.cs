using System.Diagnostics;
using Spiffe.Agent.Tasks.Linux;
using Spiffe.Agent.Tasks.Revocation;
using Spiffe.Agent.Tasks.Tests.TestSupport;

namespace Spiffe.Agent.Tasks.Tests;

/// <summary>Real processes, real cgroups, the real clock and a running <see cref="TaskMonitor"/>.</summary>
[TestFixture]
public sealed class TaskManagerLifecycleTests
{
    private TaskFixture fixture = null!;
    private TaskMonitor monitor = null!;
    private TaskEventRecorder events = null!;

    private TaskManager Manager => fixture.Manager;

    [SetUp]
    public async Task SetUp()
    {
        fixture = new TaskFixture(TimeProvider.System);
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
    public async Task RunAsync_SleepThroughShim_MainProcessIsInTaskCgroup()
    {
        // Arrange
        var launcher = new TaskLauncher(new ProcFs("/proc"), TimeProvider.System);
        var registered = new TaskCompletionSource<TaskLease>();

        // Act
        var run = launcher.RunAsync(["sleep", "30"], async (pid, ct) =>
        {
            registered.SetResult(await Manager.StartTaskAsync(new StartTaskRequest { Agent = "researcher", TaskId = "sleep", MainPid = pid }, ct));
        }, CancellationToken.None);
        var lease = await registered.Task.WithTimeout();
        await Wait.UntilAsync(() => TestProcesses.CommandOf(lease.MainPid!.Value) == "sleep", "the shim has exec'd sleep");

        // Assert
        Assert.That(TestProcesses.CgroupOf(lease.MainPid!.Value), Is.EqualTo(lease.Cgroup));
        Assert.That(lease.Cgroup, Is.EqualTo($"/{fixture.Options.CgroupParent}/task-sleep"));
        Assert.That(Manager.FindByProcess(lease.MainPid.Value), Is.EqualTo(lease));
        await Manager.EndTaskAsync("sleep", TaskEndReason.Explicit, kill: true, CancellationToken.None);
        Assert.That(await run.WithTimeout(), Is.EqualTo(137));
    }

    [Test]
    public async Task RunAsync_ShellWithBackgroundChild_GrandchildIsInTaskCgroup()
    {
        // Arrange
        var launcher = new TaskLauncher(new ProcFs("/proc"), TimeProvider.System);
        var registered = new TaskCompletionSource<TaskLease>();
        var run = launcher.RunAsync(["sh", "-c", "sleep 30 & wait"], async (pid, ct) =>
        {
            registered.SetResult(await Manager.StartTaskAsync(new StartTaskRequest { Agent = "researcher", TaskId = "tree", MainPid = pid }, ct));
        }, CancellationToken.None);
        var lease = await registered.Task.WithTimeout();
        var directory = Manager.CgroupDirectoryFor("tree");

        // Act
        await Wait.UntilAsync(() => TestProcesses.ProcessesIn(directory).Count == 2, "the shell has started sleep");
        var pids = TestProcesses.ProcessesIn(directory);
        var grandchild = pids.Single(p => p != lease.MainPid);

        // Assert
        Assert.That(TestProcesses.CommandOf(grandchild), Is.EqualTo("sleep"));
        Assert.That(pids.Select(TestProcesses.CgroupOf), Is.All.EqualTo(lease.Cgroup));
        Assert.That(Manager.FindByProcess(grandchild)?.TaskId, Is.EqualTo("tree"));
        await Manager.EndTaskAsync("tree", TaskEndReason.Explicit, kill: true, CancellationToken.None);
        Assert.That(await run.WithTimeout(), Is.EqualTo(137));
    }

    [Test]
    public async Task Monitor_AllTaskProcessesKilled_TaskEndsWithinASecond()
    {
        // Arrange: a task without main process whose processes were adopted.
        await Manager.StartTaskAsync(new StartTaskRequest { Agent = "researcher", TaskId = "victims" }, CancellationToken.None);
        var first = fixture.StartProcess("sleep", "30");
        var second = fixture.StartProcess("sleep", "30");
        await Manager.AdoptTaskAsync("victims", first.Id, CancellationToken.None);
        await Manager.AdoptTaskAsync("victims", second.Id, CancellationToken.None);
        await events.NextAsync<TaskStarted>("victims");

        // Act
        var clock = Stopwatch.StartNew();
        first.Kill();
        second.Kill();
        var ended = await events.NextAsync<TaskEnded>("victims");
        clock.Stop();

        // Assert
        Assert.That(ended.Reason, Is.EqualTo(TaskEndReason.CgroupEmpty));
        Assert.That(clock.Elapsed, Is.LessThan(Wait.Generous), "end observed (budget: 1 s; bound generous for CI)");
        Assert.That(Manager.Find("victims"), Is.Null);
        TestContext.Out.WriteLine($"kill -9 to TaskEnded: {clock.Elapsed.TotalMilliseconds:F0} ms");
    }

    [Test]
    public async Task Monitor_MainProcessKilled_EndsWithMainProcessExitedAndChildLosesIdentity()
    {
        // Arrange
        var (lease, run) = await fixture.LaunchAsync(new StartTaskRequest { Agent = "researcher", TaskId = "headless" }, "sh", "-c", "sleep 30 & wait");
        var directory = Manager.CgroupDirectoryFor("headless");
        await Wait.UntilAsync(() => TestProcesses.ProcessesIn(directory).Count == 2, "the shell has started sleep");
        var child = TestProcesses.ProcessesIn(directory).Single(p => p != lease.MainPid);
        await events.NextAsync<TaskStarted>("headless");

        // Act
        var clock = Stopwatch.StartNew();
        TestProcesses.KillHard(lease.MainPid!.Value);
        var ended = await events.NextAsync<TaskEnded>("headless");
        clock.Stop();

        // Assert
        Assert.That(ended.Reason, Is.EqualTo(TaskEndReason.MainProcessExited));
        Assert.That(clock.Elapsed, Is.LessThan(Wait.Generous));
        Assert.That(TestProcesses.IsAlive(child), Is.True, "no kill: the child keeps running");
        Assert.That(Manager.FindByProcess(child), Is.Null, "a process of an ended task has no task");
        Assert.That(Directory.Exists(directory), Is.True, "the cgroup drains until its last process exits");
        Assert.That(await run.WithTimeout(), Is.EqualTo(137));
    }

    [Test]
    public async Task Monitor_MainProcessExitsNormally_EndsAndRemovesCgroup()
    {
        // Arrange
        var launcher = new TaskLauncher(new ProcFs("/proc"), TimeProvider.System);

        // Act
        var exitCode = await launcher.RunAsync(
            ["sh", "-c", "exit 3"],
            (pid, ct) => Manager.StartTaskAsync(new StartTaskRequest { Agent = "researcher", TaskId = "quick", MainPid = pid }, ct),
            CancellationToken.None).WithTimeout();
        var ended = await events.NextAsync<TaskEnded>("quick");

        // Assert
        Assert.That(exitCode, Is.EqualTo(3));
        Assert.That(ended.Reason, Is.EqualTo(TaskEndReason.MainProcessExited));
        await Wait.UntilAsync(() => !Directory.Exists(Manager.CgroupDirectoryFor("quick")), "the cgroup is removed");
    }

    [Test]
    public async Task EndTaskAsync_Explicit_RevokesIssuedCredentialsAndAudits()
    {
        // Arrange
        var exp = TimeProvider.System.GetUtcNow().AddMinutes(5);
        await Manager.StartTaskAsync(new StartTaskRequest { Agent = "researcher", TaskId = "issuer" }, CancellationToken.None);
        Assert.That(await Manager.RecordIssuedAsync("issuer", IssuedCredential.Jwt("jti-1", exp), CancellationToken.None), Is.True);
        Assert.That(await Manager.RecordIssuedAsync("issuer", IssuedCredential.X509("00:AB:CD", exp), CancellationToken.None), Is.True);

        // Act
        var ended = await Manager.EndTaskAsync("issuer", TaskEndReason.Explicit, kill: false, CancellationToken.None);

        // Assert
        Assert.That((ended.TaskId, ended.Reason), Is.EqualTo(("issuer", TaskEndReason.Explicit)));
        Assert.That(fixture.Revocations.IsRevokedJti("jti-1"), Is.True);
        Assert.That(fixture.Revocations.IsRevokedSerial("abcd"), Is.True);
        Assert.That(Directory.Exists(Manager.CgroupDirectoryFor("issuer")), Is.False);
        var audit = fixture.AuditRecords();
        Assert.That(audit.Select(r => r.GetProperty("event").GetString()), Is.EqualTo(new[] { "task_started", "task_ended", "revocation", "revocation" }));
        Assert.That(audit[1].GetProperty("reason").GetString(), Is.EqualTo("explicit"));
        Assert.That(audit.Where(r => r.TryGetProperty("jti", out _)).Single().GetProperty("jti").GetString(), Is.EqualTo("jti-1"));
        Assert.That(audit.Where(r => r.TryGetProperty("serial", out _)).Single().GetProperty("serial").GetString(), Is.EqualTo("abcd"));
    }

    [Test]
    public async Task EndTaskAsync_WithKill_KillsEveryProcessAndRemovesCgroup()
    {
        // Arrange
        var (lease, run) = await fixture.LaunchAsync(new StartTaskRequest { Agent = "researcher", TaskId = "doomed" }, "sh", "-c", "sleep 30 & wait");
        var directory = Manager.CgroupDirectoryFor("doomed");
        await Wait.UntilAsync(() => TestProcesses.ProcessesIn(directory).Count == 2, "the shell has started sleep");
        var child = TestProcesses.ProcessesIn(directory).Single(p => p != lease.MainPid);

        // Act
        await Manager.EndTaskAsync("doomed", TaskEndReason.Explicit, kill: true, CancellationToken.None);

        // Assert
        Assert.That(await run.WithTimeout(), Is.EqualTo(137));
        await Wait.UntilAsync(() => !TestProcesses.IsAlive(child), "the child is killed");
        await Wait.UntilAsync(() => !Directory.Exists(directory), "the cgroup is removed");
    }

    [Test]
    public void EndTaskAsync_UnknownTask_UnknownTask()
    {
        // Act
        var error = Assert.ThrowsAsync<TaskException>(() => Manager.EndTaskAsync("nope", TaskEndReason.Explicit, kill: false, CancellationToken.None));

        // Assert
        Assert.That(error!.Error, Is.EqualTo(TaskError.UnknownTask));
    }

    [Test]
    public async Task EndTaskAsync_Parent_EndsChildWithParentEnded()
    {
        // Arrange
        await Manager.StartTaskAsync(new StartTaskRequest { Agent = "planner", TaskId = "parent" }, CancellationToken.None);
        await Manager.StartTaskAsync(
            new StartTaskRequest { Agent = "researcher", TaskId = "child", ParentTaskId = "parent", Ttl = TimeSpan.FromMinutes(1) },
            CancellationToken.None);

        // Act
        await Manager.EndTaskAsync("parent", TaskEndReason.Explicit, kill: false, CancellationToken.None);
        var childEnded = await events.NextAsync<TaskEnded>("child");

        // Assert
        Assert.That(childEnded.Reason, Is.EqualTo(TaskEndReason.ParentEnded));
        Assert.That(Manager.List(), Is.Empty);
    }

    [Test]
    public async Task RecordIssuedAsync_TaskAlreadyEnded_RevokesAndReturnsFalse()
    {
        // Arrange
        await Manager.StartTaskAsync(new StartTaskRequest { Agent = "researcher", TaskId = "late" }, CancellationToken.None);
        await Manager.EndTaskAsync("late", TaskEndReason.Explicit, kill: false, CancellationToken.None);

        // Act
        var recorded = await Manager.RecordIssuedAsync(
            "late", IssuedCredential.Jwt("jti-late", TimeProvider.System.GetUtcNow().AddMinutes(1)), CancellationToken.None);

        // Assert
        Assert.That(recorded, Is.False);
        Assert.That(fixture.Revocations.IsRevokedJti("jti-late"), Is.True);
    }

    [Test]
    public async Task AdoptTaskAsync_RunningProcess_JoinsTaskAndIsAudited()
    {
        // Arrange
        var sleeper = fixture.StartProcess("sleep", "30");
        var lease = await Manager.StartTaskAsync(new StartTaskRequest { Agent = "researcher", TaskId = "host" }, CancellationToken.None);

        // Act
        await Manager.AdoptTaskAsync("host", sleeper.Id, CancellationToken.None);

        // Assert
        Assert.That(TestProcesses.CgroupOf(sleeper.Id), Is.EqualTo(lease.Cgroup));
        Assert.That(Manager.FindByProcess(sleeper.Id), Is.EqualTo(lease));
        var adopted = fixture.AuditRecords().Single(r => r.GetProperty("event").GetString() == "process_adopted");
        Assert.That(adopted.GetProperty("pid").GetInt32(), Is.EqualTo(sleeper.Id));
        Assert.That(adopted.GetProperty("uid").GetInt64(), Is.Zero);
    }

    [Test]
    public async Task Watch_NewSubscriber_FirstSeesActiveTasks()
    {
        // Arrange
        var lease = await Manager.StartTaskAsync(new StartTaskRequest { Agent = "researcher", TaskId = "existing" }, CancellationToken.None);
        using var stop = new CancellationTokenSource();

        // Act
        await using var watch = Manager.Watch(stop.Token).GetAsyncEnumerator();
        var moved = await watch.MoveNextAsync().AsTask().WithTimeout();

        // Assert
        Assert.That(moved, Is.True);
        Assert.That(watch.Current, Is.EqualTo(new TaskStarted(lease, lease.StartedAt)));
    }
}
