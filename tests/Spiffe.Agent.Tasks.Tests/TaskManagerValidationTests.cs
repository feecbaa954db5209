using Microsoft.Extensions.Time.Testing;
using Spiffe.Agent.Tasks.Tests.TestSupport;

namespace Spiffe.Agent.Tasks.Tests;

[TestFixture]
public sealed class TaskManagerValidationTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    private FakeTimeProvider time = null!;
    private TaskFixture fixture = null!;

    /// <summary>Invalid requests by case name (the types are internal, so cases are looked up by name).</summary>
    private static readonly Dictionary<string, (StartTaskRequest Request, TaskError Error)> InvalidRequests = new()
    {
        ["IdWithSpace"] = (new StartTaskRequest { Agent = "researcher", TaskId = "has space" }, TaskError.InvalidTaskId),
        ["IdWithSlash"] = (new StartTaskRequest { Agent = "researcher", TaskId = "a/b" }, TaskError.InvalidTaskId),
        ["EmptyId"] = (new StartTaskRequest { Agent = "researcher", TaskId = string.Empty }, TaskError.InvalidTaskId),
        ["IdOf129Chars"] = (new StartTaskRequest { Agent = "researcher", TaskId = new string('a', 129) }, TaskError.InvalidTaskId),
        ["NonAsciiAgent"] = (new StartTaskRequest { Agent = "résumé", TaskId = "t1" }, TaskError.InvalidAgentName),
        ["TtlOverMaximum"] = (new StartTaskRequest { Agent = "researcher", TaskId = "t1", Ttl = TimeSpan.FromHours(2) }, TaskError.TtlExceedsMaximum),
        ["ZeroTtl"] = (new StartTaskRequest { Agent = "researcher", TaskId = "t1", Ttl = TimeSpan.Zero }, TaskError.InvalidTtl),
        ["NegativeTtl"] = (new StartTaskRequest { Agent = "researcher", TaskId = "t1", Ttl = TimeSpan.FromSeconds(-5) }, TaskError.InvalidTtl),
        ["DeadlineInPast"] = (new StartTaskRequest { Agent = "researcher", TaskId = "t1", Deadline = Start.AddSeconds(-1) }, TaskError.DeadlineInPast),
        ["DeadlineNow"] = (new StartTaskRequest { Agent = "researcher", TaskId = "t1", Deadline = Start }, TaskError.DeadlineInPast),
        ["DeadlineBeyondMaximum"] = (new StartTaskRequest { Agent = "researcher", TaskId = "t1", Deadline = Start.AddHours(3) }, TaskError.TtlExceedsMaximum),
        ["TtlAndDeadline"] = (new StartTaskRequest { Agent = "researcher", TaskId = "t1", Ttl = TimeSpan.FromMinutes(1), Deadline = Start.AddMinutes(1) }, TaskError.InvalidTtl),
        ["UnknownParent"] = (new StartTaskRequest { Agent = "researcher", TaskId = "t1", ParentTaskId = "nope" }, TaskError.UnknownParentTask),
    };

    private static IEnumerable<string> InvalidRequestNames => InvalidRequests.Keys;

    [SetUp]
    public void SetUp()
    {
        time = new FakeTimeProvider(Start);
        fixture = new TaskFixture(time);
    }

    [TearDown]
    public async Task TearDown() => await fixture.DisposeAsync();

    [TestCaseSource(nameof(InvalidRequestNames))]
    public async Task StartTaskAsync_InvalidRequest_ThrowsAndLeavesNothing(string invalidCase)
    {
        // Arrange
        var (request, expected) = InvalidRequests[invalidCase];
        var taskId = request.TaskId!;

        // Act
        var error = Assert.ThrowsAsync<TaskException>(() => fixture.Manager.StartTaskAsync(request, CancellationToken.None));

        // Assert
        Assert.That(error!.Error, Is.EqualTo(expected));
        await AssertNothingLeftAsync(taskId);
    }

    [Test]
    public async Task StartTaskAsync_DuplicateId_ThrowsAndKeepsFirstTask()
    {
        // Arrange
        var first = await fixture.Manager.StartTaskAsync(new StartTaskRequest { Agent = "researcher", TaskId = "dup" }, CancellationToken.None);

        // Act
        var error = Assert.ThrowsAsync<TaskException>(
            () => fixture.Manager.StartTaskAsync(new StartTaskRequest { Agent = "writer", TaskId = "dup" }, CancellationToken.None));

        // Assert
        Assert.That(error!.Error, Is.EqualTo(TaskError.DuplicateTask));
        Assert.That(error.Message, Does.Contain("'dup' already exists"));
        Assert.That(fixture.Manager.List(), Is.EqualTo(new[] { first }));
        Assert.That(Directory.Exists(fixture.Manager.CgroupDirectoryFor("dup")), Is.True);
    }

    [Test]
    public async Task StartTaskAsync_IdOfEndedTaskWithDrainingCgroup_DuplicateTask()
    {
        // Arrange: a task ended without kill keeps its cgroup while its process lives.
        var sleeper = fixture.StartProcess("sleep", "30");
        await fixture.Manager.StartTaskAsync(new StartTaskRequest { Agent = "researcher", TaskId = "drain", MainPid = sleeper.Id }, CancellationToken.None);
        await fixture.Manager.EndTaskAsync("drain", TaskEndReason.Explicit, kill: false, CancellationToken.None);

        // Act
        var error = Assert.ThrowsAsync<TaskException>(
            () => fixture.Manager.StartTaskAsync(new StartTaskRequest { Agent = "researcher", TaskId = "drain" }, CancellationToken.None));

        // Assert
        Assert.That(error!.Error, Is.EqualTo(TaskError.DuplicateTask));
        Assert.That(fixture.Manager.Find("drain"), Is.Null);
        Assert.That(TestProcesses.CgroupOf(sleeper.Id), Does.EndWith("/task-drain"));
    }

    [Test]
    public async Task StartTaskAsync_MainPidDoesNotExist_ProcessNotFoundAndNothingLeft()
    {
        // Arrange
        var exited = fixture.StartProcess("true");
        await exited.WaitForExitAsync().WithTimeout();

        // Act
        var error = Assert.ThrowsAsync<TaskException>(() => fixture.Manager.StartTaskAsync(
            new StartTaskRequest { Agent = "researcher", TaskId = "ghost", MainPid = exited.Id }, CancellationToken.None));

        // Assert
        Assert.That(error!.Error, Is.EqualTo(TaskError.ProcessNotFound));
        await AssertNothingLeftAsync("ghost");
    }

    [Test]
    public async Task StartTaskAsync_ChildOutlivesParent_DeadlineExceedsParentAndNothingLeft()
    {
        // Arrange
        await fixture.Manager.StartTaskAsync(
            new StartTaskRequest { Agent = "planner", TaskId = "parent", Ttl = TimeSpan.FromMinutes(5) }, CancellationToken.None);

        // Act
        var error = Assert.ThrowsAsync<TaskException>(() => fixture.Manager.StartTaskAsync(
            new StartTaskRequest { Agent = "researcher", TaskId = "child", ParentTaskId = "parent", Ttl = TimeSpan.FromMinutes(6) },
            CancellationToken.None));

        // Assert
        Assert.That(error!.Error, Is.EqualTo(TaskError.DeadlineExceedsParent));
        await AssertNothingLeftAsync("child");
    }

    [Test]
    public async Task StartTaskAsync_ProcessOfAnotherTask_ProcessInOtherTaskAndProcessStays()
    {
        // Arrange
        var sleeper = fixture.StartProcess("sleep", "30");
        var owner = await fixture.Manager.StartTaskAsync(
            new StartTaskRequest { Agent = "researcher", TaskId = "owner", MainPid = sleeper.Id }, CancellationToken.None);

        // Act
        var error = Assert.ThrowsAsync<TaskException>(() => fixture.Manager.StartTaskAsync(
            new StartTaskRequest { Agent = "researcher", TaskId = "thief", MainPid = sleeper.Id }, CancellationToken.None));

        // Assert
        Assert.That(error!.Error, Is.EqualTo(TaskError.ProcessInOtherTask));
        Assert.That(TestProcesses.CgroupOf(sleeper.Id), Is.EqualTo(owner.Cgroup));
        await AssertNothingLeftAsync("thief");
    }

    [Test]
    public async Task StartTaskAsync_ProcessOfParentTask_MovesIntoChild()
    {
        // Arrange
        var sleeper = fixture.StartProcess("sleep", "30");
        await fixture.Manager.StartTaskAsync(new StartTaskRequest { Agent = "planner", TaskId = "parent" }, CancellationToken.None);
        await fixture.Manager.AdoptTaskAsync("parent", sleeper.Id, CancellationToken.None);

        // Act
        var child = await fixture.Manager.StartTaskAsync(
            new StartTaskRequest { Agent = "researcher", TaskId = "child", ParentTaskId = "parent", Ttl = TimeSpan.FromMinutes(1), MainPid = sleeper.Id },
            CancellationToken.None);

        // Assert
        Assert.That(TestProcesses.CgroupOf(sleeper.Id), Is.EqualTo(child.Cgroup));
        Assert.That(fixture.Manager.FindByProcess(sleeper.Id), Is.EqualTo(child));
    }

    [Test]
    public async Task StartTaskAsync_StateCannotBeWritten_ProcessMovedBackAndNothingLeft()
    {
        // Arrange: a directory where the temporary state file goes makes the persist step fail after the move.
        var sleeper = fixture.StartProcess("sleep", "30");
        var originalCgroup = TestProcesses.CgroupOf(sleeper.Id);
        Directory.CreateDirectory(fixture.Options.DataDirectory);
        Directory.CreateDirectory(fixture.StateFile + ".tmp");

        // Act
        Assert.That(
            () => fixture.Manager.StartTaskAsync(
                new StartTaskRequest { Agent = "researcher", TaskId = "unsaved", MainPid = sleeper.Id }, CancellationToken.None),
            Throws.Exception);

        // Assert
        Assert.That(TestProcesses.CgroupOf(sleeper.Id), Is.EqualTo(originalCgroup));
        await AssertNothingLeftAsync("unsaved");
    }

    private async Task AssertNothingLeftAsync(string taskId)
    {
        await fixture.Manager.CheckTasksAsync(CancellationToken.None);
        Assert.That(fixture.Manager.Find(taskId), Is.Null, "lease");
        Assert.That(fixture.Manager.List().Select(l => l.TaskId), Does.Not.Contain(taskId), "lease list");
        Assert.That(fixture.StateMentions(taskId), Is.False, "persisted lease");
        Assert.That(Directory.Exists(fixture.Manager.CgroupDirectoryFor(taskId)), Is.False, "cgroup");
        Assert.That(
            fixture.AuditRecords().Where(r => r.TryGetProperty("task", out var t) && t.GetString() == taskId),
            Is.Empty,
            "audit");
    }
}
