using System.Diagnostics;
using System.Text.Json;
using Spiffe.Agent.Tasks.Audit;
using Spiffe.Agent.Tasks.Cgroups;
using Spiffe.Agent.Tasks.Linux;
using Spiffe.Agent.Tasks.Revocation;

namespace Spiffe.Agent.Tasks.Tests.TestSupport;

/// <summary>
/// A task subsystem over a temporary data directory and a unique parent cgroup under the real cgroup v2 mount.
/// Disposal kills every process left in the parent cgroup, removes it, and deletes the directory.
/// </summary>
internal sealed class TaskFixture : IAsyncDisposable
{
    private readonly List<Process> processes = [];

    public TaskFixture(TimeProvider timeProvider, Action<TaskOptions>? configure = null)
    {
        Root = Directory.CreateTempSubdirectory("spiffe-tasks-test-").FullName;
        TimeProvider = timeProvider;
        Options = new TaskOptions
        {
            DataDirectory = Path.Combine(Root, "data"),
            CgroupParent = "spiffe-tasks-test-" + Guid.NewGuid().ToString("N")[..12],
            MaxTtl = TimeSpan.FromHours(1),
            DefaultTtl = TimeSpan.FromMinutes(10),
            MonitorInterval = TimeSpan.FromMilliseconds(100),
            RevocationRetention = TimeSpan.FromMinutes(1),
        };
        configure?.Invoke(Options);
        AuditOptions = new AuditOptions { Directory = Path.Combine(Root, "audit") };
        Audit = new AuditLog(Microsoft.Extensions.Options.Options.Create(AuditOptions), timeProvider, new ListLogger<AuditLog>());
        Revocations = new RevocationList(Microsoft.Extensions.Options.Options.Create(Options), timeProvider, new ListLogger<RevocationList>());
        Manager = CreateManager();
    }

    public string Root { get; }

    public TimeProvider TimeProvider { get; }

    public TaskOptions Options { get; }

    public AuditOptions AuditOptions { get; }

    public AuditLog Audit { get; private set; }

    public RevocationList Revocations { get; private set; }

    public TaskManager Manager { get; private set; }

    public ListLogger<TaskManager> Logger { get; private set; } = new();

    public string StateFile => Path.Combine(Options.DataDirectory, "tasks.json");

    public string ParentDirectory => Manager.CgroupParentDirectory;

    /// <summary>
    /// Simulates an agent restart: the old manager goes away without ending anything (as in a crash) and a new
    /// manager, revocation list and audit log open the same files.
    /// </summary>
    public async Task RestartAsync()
    {
        await Manager.DisposeAsync();
        Audit.Dispose();
        Audit = new AuditLog(Microsoft.Extensions.Options.Options.Create(AuditOptions), TimeProvider, new ListLogger<AuditLog>());
        Revocations = new RevocationList(Microsoft.Extensions.Options.Options.Create(Options), TimeProvider, new ListLogger<RevocationList>());
        Logger = new ListLogger<TaskManager>();
        Manager = CreateManager();
    }

    public TaskMonitor CreateMonitor() =>
        new(Manager, Revocations, Microsoft.Extensions.Options.Options.Create(Options), TimeProvider, new ListLogger<TaskMonitor>());

    /// <summary>Starts a process that disposal kills if it is still running.</summary>
    public Process StartProcess(string file, params string[] arguments)
    {
        var process = TestProcesses.Start(file, arguments);
        processes.Add(process);
        return process;
    }

    /// <summary>
    /// Runs <paramref name="command"/> as the main process of a new task through the <see cref="TaskLauncher"/> shim,
    /// so even its first child is born in the task cgroup. Returns the lease and the run (its exit code).
    /// </summary>
    public async Task<(TaskLease Lease, Task<int> Run)> LaunchAsync(StartTaskRequest request, params string[] command)
    {
        var launcher = new TaskLauncher(new ProcFs("/proc"), TimeProvider.System);
        var registered = new TaskCompletionSource<TaskLease>(TaskCreationOptions.RunContinuationsAsynchronously);
        var run = launcher.RunAsync(
            command,
            async (pid, ct) => registered.SetResult(await Manager.StartTaskAsync(request with { MainPid = pid }, ct)),
            CancellationToken.None);
        if (await Task.WhenAny(registered.Task, run).WithTimeout() != registered.Task)
        {
            throw new InvalidOperationException($"the command exited with {await run} before it was registered");
        }

        var lease = await registered.Task;
        return (lease, run);
    }

    /// <summary>The audit records written so far, parsed.</summary>
    public IReadOnlyList<JsonElement> AuditRecords() =>
        Audit.Files()
            .SelectMany(File.ReadAllLines)
            .Where(l => l.Length > 0)
            .Select(l => JsonDocument.Parse(l).RootElement.Clone())
            .ToArray();

    /// <summary>Whether the persisted state mentions <paramref name="taskId"/>.</summary>
    public bool StateMentions(string taskId) =>
        File.Exists(StateFile) && File.ReadAllText(StateFile).Contains($"\"task_id\":\"{taskId}\"", StringComparison.Ordinal);

    public async ValueTask DisposeAsync()
    {
        await Manager.DisposeAsync();
        Audit.Dispose();
        foreach (var process in processes)
        {
            TestProcesses.KillHard(process.Id);
            process.Dispose();
        }

        var parent = Path.Combine(Cgroup2Mount.Parse(File.ReadAllText("/proc/self/mountinfo"))!.MountPoint, Options.CgroupParent);
        if (Directory.Exists(parent))
        {
            File.WriteAllText(Path.Combine(parent, "cgroup.kill"), "1");
            await Wait.UntilAsync(() => !TaskCgroups.IsPopulated(parent), "the test cgroup is empty");
            await Wait.UntilAsync(() => TaskCgroups.TryRemove(parent), "the test cgroup is removed");
        }

        Directory.Delete(Root, recursive: true);
    }

    private TaskManager CreateManager() =>
        new(Microsoft.Extensions.Options.Options.Create(Options), Revocations, Audit, TimeProvider, Logger);
}
