using System.Globalization;

namespace Spiffe.Agent.Tasks.Linux;

/// <summary>
/// The few <c>/proc</c> facts task supervision needs. The root is configurable so tests and containers can point it
/// elsewhere; the parsers take text, not paths.
/// </summary>
internal sealed class ProcFs
{
    private readonly string root;

    public ProcFs(string root)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        this.root = root;
    }

    /// <summary>The <c>/proc/self/mountinfo</c> path under this root.</summary>
    public string SelfMountInfoPath => Path.Combine(root, "self", "mountinfo");

    /// <summary>Reads a process's start time and state, or <see langword="null"/> when it does not exist.</summary>
    public ProcStat? TryReadStat(int pid)
    {
        var text = TryReadAllText(Path.Combine(root, pid.ToString(CultureInfo.InvariantCulture), "stat"));
        return text is null ? null : ParseStat(text);
    }

    /// <summary>
    /// Reads the unified (cgroup v2) path of a process from <c>/proc/&lt;pid&gt;/cgroup</c>, or <see langword="null"/>
    /// when the process does not exist.
    /// </summary>
    public string? TryReadCgroupV2Path(int pid)
    {
        var text = TryReadAllText(Path.Combine(root, pid.ToString(CultureInfo.InvariantCulture), "cgroup"));
        return text is null ? null : ParseCgroupV2Path(text);
    }

    /// <summary>Reads the effective UID of a process, or <see langword="null"/> when it does not exist.</summary>
    public long? TryReadEffectiveUid(int pid)
    {
        var text = TryReadAllText(Path.Combine(root, pid.ToString(CultureInfo.InvariantCulture), "status"));
        return text is null ? null : ParseEffectiveUid(text);
    }

    /// <summary>Parses <c>/proc/&lt;pid&gt;/stat</c>: the fields after the parenthesised command name.</summary>
    internal static ProcStat ParseStat(string text)
    {
        var close = text.LastIndexOf(')');
        if (close < 0)
        {
            throw new FormatException("stat has no command name");
        }

        // After ") " come field 3 (state) onwards; starttime is field 22.
        var fields = text[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        const int StartTimeIndex = 22 - 3;
        if (fields.Length <= StartTimeIndex || fields[0].Length != 1)
        {
            throw new FormatException("stat is truncated");
        }

        return new ProcStat(fields[0][0], ulong.Parse(fields[StartTimeIndex], NumberStyles.None, CultureInfo.InvariantCulture));
    }

    /// <summary>Parses <c>/proc/&lt;pid&gt;/cgroup</c> and returns the path of the <c>0::</c> line.</summary>
    internal static string? ParseCgroupV2Path(string text)
    {
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith("0::", StringComparison.Ordinal))
            {
                return line[3..];
            }
        }

        return null;
    }

    /// <summary>Parses the effective UID (second column of <c>Uid:</c>) from <c>/proc/&lt;pid&gt;/status</c>.</summary>
    internal static long? ParseEffectiveUid(string text)
    {
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith("Uid:", StringComparison.Ordinal))
            {
                var ids = line[4..].Split('\t', ' ').Where(s => s.Length > 0).ToArray();
                return ids.Length > 1 ? long.Parse(ids[1], NumberStyles.None, CultureInfo.InvariantCulture) : null;
            }
        }

        return null;
    }

    private static string? TryReadAllText(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (IOException)
        {
            // Not found, or ESRCH while reading: the process exited between open and read.
            return null;
        }
    }
}
