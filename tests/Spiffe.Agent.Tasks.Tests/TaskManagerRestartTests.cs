using Microsoft.Extensions.Time.Testing;
using Spiffe.Agent.Tasks.Audit;
using Spiffe.Agent.Tasks.Revocation;
using Spiffe.Agent.Tasks.Tests.TestSupport;

namespace Spiffe.Agent.Tasks.Tests;

[TestFixture]
public sealed class TaskManagerRestartTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    private FakeTimeProvider time = null!;
    private TaskFixture fixture = null!;

    [SetUp]
    public void SetUp()
    {
        time = new FakeTimeProvider(Start);
        fixture = new TaskFixture(time);
    }

    [TearDown]
    public async Task TearDown() => await fixture.DisposeAsync();

    [Test]
    public async Task Restart_MainProcessAlive_KeepsLeaseAndSupervisesIt()
    {
        // Arrange
        var sleeper = fixture.StartProcess("sleep", "30");
        var lease = await fixture.Manager.StartTaskAsync(
            new StartTaskRequest { Agent = "researcher", TaskId = "survivor", MainPid = sleeper.Id }, CancellationToken.None);
        await fixture.Manager.RecordIssuedAsync("survivor", IssuedCredential.Jwt("jti-survivor", Start.AddMinutes(5)), CancellationToken.None);

        // Act
        await fixture.RestartAsync();
        var resumed = fixture.Manager.List();
        sleeper.Kill();
        await sleeper.WaitForExitAsync().WithTimeout();
        await fixture.Manager.CheckTasksAsync(CancellationToken.None);

        // Assert
        Assert.That(resumed, Is.EqualTo(new[] { lease }));
        Assert.That(fixture.Logger.EventNames, Does.Contain("TaskResumed"));
        Assert.That(fixture.Manager.Find("survivor"), Is.Null, "the re-opened pidfd saw the main process exit");
        Assert.That(fixture.Revocations.IsRevokedJti("jti-survivor"), Is.True, "issued credentials survive the restart");
        var end = fixture.AuditRecords().Single(r => r.GetProperty("event").GetString() == "task_ended");
        Assert.That(end.GetProperty("reason").GetString(), Is.EqualTo("main_process_exited"));
    }

    [Test]
    public async Task Restart_MainProcessGone_EndsTaskCleanly()
    {
        // Arrange
        var sleeper = fixture.StartProcess("sleep", "30");
        await fixture.Manager.StartTaskAsync(
            new StartTaskRequest { Agent = "researcher", TaskId = "casualty", MainPid = sleeper.Id }, CancellationToken.None);
        await fixture.Manager.RecordIssuedAsync("casualty", IssuedCredential.X509("0A1B", Start.AddMinutes(5)), CancellationToken.None);
        await fixture.Manager.DisposeAsync();
        sleeper.Kill();
        await sleeper.WaitForExitAsync().WithTimeout();

        // Act
        await fixture.RestartAsync();
        var active = fixture.Manager.List();

        // Assert
        Assert.That(active, Is.Empty);
        Assert.That(fixture.Logger.EventNames, Does.Contain("TaskLostOnRestart"));
        Assert.That(fixture.Revocations.IsRevokedSerial("0a1b"), Is.True);
        Assert.That(fixture.StateMentions("casualty"), Is.False);
        Assert.That(Directory.Exists(fixture.Manager.CgroupDirectoryFor("casualty")), Is.False);
        var end = fixture.AuditRecords().Single(r => r.GetProperty("event").GetString() == "task_ended");
        Assert.That(end.GetProperty("reason").GetString(), Is.EqualTo("lost_on_restart"));
        Assert.That(AuditVerifier.Verify(fixture.Audit.Files()).IsValid, Is.True, "the audit chain continues across the restart");
    }

    [Test]
    public async Task Restart_CgroupGone_EndsTaskCleanly()
    {
        // Arrange
        await fixture.Manager.StartTaskAsync(new StartTaskRequest { Agent = "researcher", TaskId = "uprooted" }, CancellationToken.None);
        await fixture.Manager.DisposeAsync();
        Directory.Delete(fixture.Manager.CgroupDirectoryFor("uprooted"));

        // Act
        await fixture.RestartAsync();

        // Assert
        Assert.That(fixture.Manager.List(), Is.Empty);
        Assert.That(fixture.StateMentions("uprooted"), Is.False);
    }

    [Test]
    public async Task Restart_DeadlinePassedWhileDown_EndsTaskOnFirstUse()
    {
        // Arrange
        await fixture.Manager.StartTaskAsync(
            new StartTaskRequest { Agent = "researcher", TaskId = "overdue", Ttl = TimeSpan.FromMinutes(1) }, CancellationToken.None);
        await fixture.Manager.DisposeAsync();
        time.Advance(TimeSpan.FromMinutes(2));

        // Act
        await fixture.RestartAsync();
        var active = fixture.Manager.List();

        // Assert
        Assert.That(active, Is.Empty);
        var end = fixture.AuditRecords().Single(r => r.GetProperty("event").GetString() == "task_ended");
        Assert.That(end.GetProperty("reason").GetString(), Is.EqualTo("deadline_reached"));
    }

    [Test]
    public async Task Restart_StateFileCorrupt_StateCorrupt()
    {
        // Arrange
        await fixture.Manager.StartTaskAsync(new StartTaskRequest { Agent = "researcher", TaskId = "t" }, CancellationToken.None);
        await File.WriteAllTextAsync(fixture.StateFile, "{ not json");

        // Act
        var error = Assert.ThrowsAsync<TaskException>(fixture.RestartAsync);

        // Assert
        Assert.That(error!.Error, Is.EqualTo(TaskError.StateCorrupt));
    }

    [Test]
    public async Task StateFile_AfterStart_IsOwnerOnly()
    {
        // Act
        await fixture.Manager.StartTaskAsync(new StartTaskRequest { Agent = "researcher", TaskId = "t" }, CancellationToken.None);

        // Assert
        Assert.That(File.GetUnixFileMode(fixture.StateFile), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
        Assert.That(fixture.StateMentions("t"), Is.True);
    }
}
