using Spiffe.Agent.Tasks.Cgroups;
using Spiffe.Agent.Tasks.Linux;
using Spiffe.Agent.Tasks.Tests.TestSupport;

namespace Spiffe.Agent.Tasks.Tests;

[TestFixture]
public sealed class CgroupTests
{
    private const string HybridMountInfo = """
        25 30 0:23 / /sys rw,nosuid,nodev,noexec,relatime shared:7 - sysfs sysfs rw
        31 25 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
        32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu
        40 31 0:37 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,name=systemd
        41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw
        """;

    private const string UnifiedMountInfo = """
        24 29 0:22 / /proc rw,nosuid,nodev,noexec,relatime shared:12 - proc proc rw
        35 25 0:30 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:9 - cgroup2 cgroup2 rw,nsdelegate,memory_recursiveprot
        """;

    private const string ContainerMountInfo = """
        700 690 0:30 /docker/abc /sys/fs/cgroup\040x ro,nosuid,nodev,noexec,relatime master:9 - cgroup2 cgroup rw
        """;

    [Test]
    public void Parse_HybridLayout_FindsUnifiedMount()
    {
        // Act
        var mount = Cgroup2Mount.Parse(HybridMountInfo);

        // Assert
        Assert.That(mount, Is.EqualTo(new Cgroup2Mount("/sys/fs/cgroup/unified", "/")));
    }

    [Test]
    public void Parse_UnifiedLayout_FindsSysFsCgroup()
    {
        // Act
        var mount = Cgroup2Mount.Parse(UnifiedMountInfo);

        // Assert
        Assert.That(mount, Is.EqualTo(new Cgroup2Mount("/sys/fs/cgroup", "/")));
    }

    [Test]
    public void Parse_EscapedMountPointAndSubtreeRoot_Unescapes()
    {
        // Act
        var mount = Cgroup2Mount.Parse(ContainerMountInfo);

        // Assert
        Assert.That(mount, Is.EqualTo(new Cgroup2Mount("/sys/fs/cgroup x", "/docker/abc")));
    }

    [Test]
    public void Parse_NoCgroup2_Null()
    {
        // Act
        var mount = Cgroup2Mount.Parse("32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu\n");

        // Assert
        Assert.That(mount, Is.Null);
    }

    [TestCase("/parent/task-abc", "abc")]
    [TestCase("/parent/task-abc/nested", "abc")]
    [TestCase("/parent/task-", null)]
    [TestCase("/parent/other", null)]
    [TestCase("/parentx/task-abc", null)]
    [TestCase("/", null)]
    public void TaskIdFromProcPath_Path_MapsToTask(string procPath, string? expected)
    {
        // Arrange
        var cgroups = new TaskCgroups(new Cgroup2Mount("/sys/fs/cgroup", "/"), "parent", new ProcFs("/proc"));

        // Act
        var taskId = cgroups.TaskIdFromProcPath(procPath);

        // Assert
        Assert.That(taskId, Is.EqualTo(expected));
    }

    [Test]
    public void Paths_MountWithSubtreeRoot_IncludeRootInProcPath()
    {
        // Arrange
        var cgroups = new TaskCgroups(new Cgroup2Mount("/sys/fs/cgroup", "/docker/abc"), "tasks", new ProcFs("/proc"));

        // Act
        var procPath = cgroups.ProcPathFor("t1");

        // Assert
        Assert.That(procPath, Is.EqualTo("/docker/abc/tasks/task-t1"));
        Assert.That(cgroups.DirectoryFor("t1"), Is.EqualTo("/sys/fs/cgroup/tasks/task-t1"));
        Assert.That(cgroups.DirectoryForProcPath(procPath), Is.EqualTo("/sys/fs/cgroup/tasks/task-t1"));
        Assert.That(cgroups.TaskIdFromProcPath(procPath), Is.EqualTo("t1"));
    }

    [Test]
    public async Task KillEachProcess_FallbackWithoutCgroupKill_KillsEveryProcessInSubtree()
    {
        // Arrange
        await using var fixture = new TaskFixture(TimeProvider.System);
        var cgroups = TaskCgroups.Open(new ProcFs("/proc"), mountPoint: null, fixture.Options.CgroupParent);
        cgroups.EnsureParent();
        var directory = cgroups.DirectoryFor("fallback");
        var nested = Path.Combine(directory, "nested");
        Assert.That(TaskCgroups.TryCreate(directory), Is.True);
        Directory.CreateDirectory(nested);
        var outer = fixture.StartProcess("sleep", "30");
        var inner = fixture.StartProcess("sleep", "30");
        TaskCgroups.AddProcess(directory, outer.Id);
        TaskCgroups.AddProcess(nested, inner.Id);

        // Act
        cgroups.KillEachProcess(directory);

        // Assert
        await outer.WaitForExitAsync().WithTimeout();
        await inner.WaitForExitAsync().WithTimeout();
        await Wait.UntilAsync(() => TaskCgroups.TryRemove(directory), "the emptied cgroup tree is removed");
        Assert.That(Directory.Exists(directory), Is.False);
    }

    [Test]
    public async Task IsPopulated_ProcessMovedInAndKilled_FollowsCgroupEvents()
    {
        // Arrange
        await using var fixture = new TaskFixture(TimeProvider.System);
        var cgroups = TaskCgroups.Open(new ProcFs("/proc"), mountPoint: null, fixture.Options.CgroupParent);
        cgroups.EnsureParent();
        var directory = cgroups.DirectoryFor("events");
        TaskCgroups.TryCreate(directory);
        var empty = TaskCgroups.IsPopulated(directory);
        var sleeper = fixture.StartProcess("sleep", "30");

        // Act
        TaskCgroups.AddProcess(directory, sleeper.Id);
        var populated = TaskCgroups.IsPopulated(directory);
        var removable = TaskCgroups.TryRemove(directory);
        cgroups.Kill(directory);
        await sleeper.WaitForExitAsync().WithTimeout();

        // Assert
        Assert.That(empty, Is.False);
        Assert.That(populated, Is.True);
        Assert.That(removable, Is.False, "a populated cgroup cannot be removed");
        await Wait.UntilAsync(() => !TaskCgroups.IsPopulated(directory), "populated 0");
        Assert.That(TaskCgroups.TryRemove(directory), Is.True);
        Assert.That(TaskCgroups.IsPopulated(directory), Is.False, "a missing cgroup is not populated");
    }
}
