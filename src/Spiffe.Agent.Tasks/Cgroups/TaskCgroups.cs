using System.Globalization;
using System.Runtime.Versioning;
using System.Text;
using Spiffe.Agent.Tasks.Linux;

namespace Spiffe.Agent.Tasks.Cgroups;

/// <summary>
/// The task cgroups: one cgroup v2 directory per task, <c>task-&lt;id&gt;</c>, under a configured parent cgroup.
/// All cgroupfs access of the task subsystem goes through this class.
/// </summary>
[SupportedOSPlatform("linux")]
internal sealed class TaskCgroups
{
    private const string DirectoryPrefix = "task-";

    private readonly ProcFs proc;
    private readonly Cgroup2Mount mount;
    private readonly string parentProcPath;

    /// <param name="mount">The cgroup v2 mount.</param>
    /// <param name="parent">Parent cgroup relative to the mount, e.g. <c>spiffe-agent.tasks</c>.</param>
    /// <param name="proc">/proc access, used by the fallback kill.</param>
    public TaskCgroups(Cgroup2Mount mount, string parent, ProcFs proc)
    {
        ArgumentNullException.ThrowIfNull(mount);
        ArgumentException.ThrowIfNullOrEmpty(parent);
        ArgumentNullException.ThrowIfNull(proc);
        this.proc = proc;
        this.mount = mount;
        var relative = parent.Trim('/');
        ParentDirectory = Path.Combine(mount.MountPoint, relative);
        parentProcPath = mount.Root.TrimEnd('/') + "/" + relative;
    }

    /// <summary>Absolute directory of the parent cgroup.</summary>
    public string ParentDirectory { get; }

    /// <summary>Finds the cgroup v2 mount from mountinfo and opens the task cgroups under <paramref name="parent"/>.</summary>
    /// <exception cref="TaskException">The host has no cgroup v2 mount.</exception>
    public static TaskCgroups Open(ProcFs proc, string? mountPoint, string parent)
    {
        ArgumentNullException.ThrowIfNull(proc);
        var mount = mountPoint is not null
            ? new Cgroup2Mount(mountPoint, "/")
            : Cgroup2Mount.Parse(File.ReadAllText(proc.SelfMountInfoPath))
              ?? throw new TaskException(TaskError.CgroupFailure, "no cgroup2 mount found in mountinfo");
        return new TaskCgroups(mount, parent, proc);
    }

    /// <summary>The directory of a task's cgroup.</summary>
    public string DirectoryFor(string taskId) => Path.Combine(ParentDirectory, DirectoryPrefix + taskId);

    /// <summary>The cgroup path of a task as <c>/proc/&lt;pid&gt;/cgroup</c> shows it.</summary>
    public string ProcPathFor(string taskId) => parentProcPath + "/" + DirectoryPrefix + taskId;

    /// <summary>The directory of a cgroup given as <c>/proc/&lt;pid&gt;/cgroup</c> shows it.</summary>
    public string DirectoryForProcPath(string procPath)
    {
        var root = mount.Root.TrimEnd('/');
        var relative = procPath.StartsWith(root + "/", StringComparison.Ordinal) ? procPath[root.Length..] : procPath;
        return Path.Combine(mount.MountPoint, relative.TrimStart('/'));
    }

    /// <summary>
    /// The task a <c>/proc/&lt;pid&gt;/cgroup</c> path belongs to (its own cgroup or one nested in it), or
    /// <see langword="null"/> when the path is not inside a task cgroup.
    /// </summary>
    public string? TaskIdFromProcPath(string procPath)
    {
        var prefix = parentProcPath + "/" + DirectoryPrefix;
        if (!procPath.StartsWith(prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var rest = procPath[prefix.Length..];
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var id = slash < 0 ? rest : rest[..slash];
        return id.Length == 0 ? null : id;
    }

    /// <summary>Creates the parent cgroup (and its ancestors) if needed.</summary>
    public void EnsureParent() => Directory.CreateDirectory(ParentDirectory);

    /// <summary>Creates a task cgroup; <see langword="false"/> when the directory already exists.</summary>
    public static bool TryCreate(string directory)
    {
        if (Directory.Exists(directory))
        {
            return false;
        }

        try
        {
            Directory.CreateDirectory(directory);
            return true;
        }
        catch (IOException) when (Directory.Exists(directory))
        {
            return false;
        }
    }

    /// <summary>Whether the cgroup directory exists.</summary>
    public static bool Exists(string directory) => Directory.Exists(directory);

    /// <summary>Moves a process into the cgroup; its future children are born there.</summary>
    /// <exception cref="IOException">The kernel refused (e.g. the process exited).</exception>
    public static void AddProcess(string directory, int pid) =>
        WriteControl(Path.Combine(directory, "cgroup.procs"), pid.ToString(CultureInfo.InvariantCulture));

    /// <summary>
    /// Whether the cgroup or any descendant holds a live process (<c>cgroup.events</c> <c>populated 1</c>);
    /// <see langword="false"/> when the directory is gone.
    /// </summary>
    public static bool IsPopulated(string directory)
    {
        string events;
        try
        {
            events = File.ReadAllText(Path.Combine(directory, "cgroup.events"));
        }
        catch (IOException)
        {
            return false;
        }

        foreach (var line in events.Split('\n'))
        {
            if (line.StartsWith("populated ", StringComparison.Ordinal))
            {
                return line.AsSpan("populated ".Length).Trim().SequenceEqual("1");
            }
        }

        return false;
    }

    /// <summary>The PIDs in the cgroup itself (not its descendants).</summary>
    public static IReadOnlyList<int> ReadProcesses(string directory)
    {
        try
        {
            return File.ReadAllText(Path.Combine(directory, "cgroup.procs"))
                .Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(s => int.Parse(s, NumberStyles.None, CultureInfo.InvariantCulture))
                .ToArray();
        }
        catch (IOException)
        {
            return [];
        }
    }

    /// <summary>
    /// SIGKILLs every process in the cgroup and its descendants: <c>cgroup.kill</c> (Linux 5.14+), otherwise
    /// <see cref="KillEachProcess"/>. Returns once the signals are sent; the processes exit shortly after.
    /// </summary>
    public void Kill(string directory)
    {
        var killFile = Path.Combine(directory, "cgroup.kill");
        if (File.Exists(killFile))
        {
            WriteControl(killFile, "1");
        }
        else
        {
            KillEachProcess(directory);
        }
    }

    /// <summary>
    /// Fallback kill: for each PID in <c>cgroup.procs</c> of the cgroup and its descendants, opens a pidfd, checks the
    /// process is (still) in this cgroup subtree, and signals through the pidfd, so a recycled PID is never hit.
    /// </summary>
    internal void KillEachProcess(string directory)
    {
        if (!Directory.Exists(directory))
        {
            return;
        }

        foreach (var child in Directory.EnumerateDirectories(directory))
        {
            KillEachProcess(child);
        }

        var procPath = parentProcPath + directory[ParentDirectory.Length..];
        foreach (var pid in ReadProcesses(directory))
        {
            using var pidfd = PidFd.TryOpen(pid);
            var cgroup = pidfd is null ? null : proc.TryReadCgroupV2Path(pid);
            if (pidfd is not null && cgroup is not null
                && (cgroup == procPath || cgroup.StartsWith(procPath + "/", StringComparison.Ordinal)))
            {
                pidfd.TrySendSignal(NativeMethods.SigKill);
            }
        }
    }

    /// <summary>
    /// Removes the cgroup and any empty nested cgroups (rmdir, deepest first). <see langword="true"/> when it is gone
    /// afterwards; <see langword="false"/> while a process still lives in it.
    /// </summary>
    public static bool TryRemove(string directory)
    {
        if (!Directory.Exists(directory))
        {
            return true;
        }

        try
        {
            foreach (var child in Directory.EnumerateDirectories(directory))
            {
                if (!TryRemove(child))
                {
                    return false;
                }
            }

            Directory.Delete(directory, recursive: false);
            return true;
        }
        catch (DirectoryNotFoundException)
        {
            return true;
        }
        catch (IOException)
        {
            // EBUSY: still populated.
            return false;
        }
    }

    /// <summary>Task IDs of the task cgroup directories that exist under the parent.</summary>
    public IReadOnlyList<string> ListTaskIds()
    {
        if (!Directory.Exists(ParentDirectory))
        {
            return [];
        }

        return Directory.EnumerateDirectories(ParentDirectory, DirectoryPrefix + "*")
            .Select(d => Path.GetFileName(d)[DirectoryPrefix.Length..])
            .Where(id => id.Length > 0)
            .ToArray();
    }

    private static void WriteControl(string path, string value)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite, bufferSize: 0);
        stream.Write(Encoding.ASCII.GetBytes(value));
    }
}
