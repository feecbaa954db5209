using System.Globalization;

namespace Spiffe.Agent.Attestation.Proc;

/// <summary>
/// The one seam through which attestation reads <c>/proc</c>. The root is configurable (default <c>/proc</c>; the
/// <c>HOST_PROC</c> environment variable overrides it, as in SPIRE, for an agent that sees the host's procfs at
/// another path), so tests point it at a directory of fixture files laid out as <c>&lt;root&gt;/&lt;pid&gt;/cgroup</c>.
/// Parsing is done by the entry types, which take text.
/// </summary>
internal sealed class ProcFileSystem
{
    /// <summary>The default procfs mount point.</summary>
    public const string DefaultRoot = "/proc";

    /// <summary>The environment variable that overrides the root (SPIRE's name).</summary>
    public const string RootVariable = "HOST_PROC";

    /// <summary>Creates a procfs view rooted at <paramref name="root"/>.</summary>
    public ProcFileSystem(string root)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        Root = root.Length > 1 ? root.TrimEnd('/') : root;
    }

    /// <summary>The procfs root directory.</summary>
    public string Root { get; }

    /// <summary>A view rooted at <c>$HOST_PROC</c> when it is set and not empty, else at <c>/proc</c>.</summary>
    public static ProcFileSystem FromEnvironment()
    {
        var root = Environment.GetEnvironmentVariable(RootVariable);
        return new ProcFileSystem(string.IsNullOrEmpty(root) ? DefaultRoot : root);
    }

    /// <summary>The directory of a process, e.g. <c>/proc/42</c>.</summary>
    public string GetProcessDirectory(int pid)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(pid);
        return Path.Join(Root, pid.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>A file of a process, e.g. <c>/proc/42/exe</c>.</summary>
    public string GetProcessFile(int pid, string name) => Path.Join(GetProcessDirectory(pid), name);

    /// <summary>Reads and parses <c>status</c>.</summary>
    public ProcStatus ReadStatus(int pid) => ProcStatus.Parse(ReadText(pid, "status"));

    /// <summary>Reads and parses <c>stat</c>.</summary>
    public ProcStat ReadStat(int pid) => ProcStat.Parse(ReadText(pid, "stat"));

    /// <summary>Reads and parses <c>cgroup</c>.</summary>
    public IReadOnlyList<CgroupEntry> ReadCgroups(int pid) => CgroupEntry.ParseFile(ReadText(pid, "cgroup"));

    /// <summary>Reads and parses <c>mountinfo</c> (the mounts as the process's mount namespace sees them).</summary>
    public IReadOnlyList<MountInfoEntry> ReadMountInfo(int pid) => MountInfoEntry.ParseFile(ReadText(pid, "mountinfo"));

    /// <summary>
    /// Reads the <c>exe</c> link: the path of the process's executable as seen in the process's own mount namespace
    /// (with a <c> (deleted)</c> suffix when the file was removed).
    /// </summary>
    /// <exception cref="IOException">The link cannot be read.</exception>
    public string ReadExecutableLink(int pid)
    {
        var link = GetProcessFile(pid, "exe");
        return new FileInfo(link).LinkTarget ?? throw new IOException($"{link} is not a symbolic link");
    }

    private string ReadText(int pid, string name) => File.ReadAllText(GetProcessFile(pid, name));
}
