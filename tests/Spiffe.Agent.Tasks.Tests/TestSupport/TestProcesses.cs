using System.Diagnostics;
using System.Globalization;

namespace Spiffe.Agent.Tasks.Tests.TestSupport;

/// <summary>Real processes for task tests.</summary>
internal static class TestProcesses
{
    /// <summary>Starts a program with inherited standard streams.</summary>
    public static Process Start(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file) { UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return Process.Start(start) ?? throw new InvalidOperationException($"{file} did not start");
    }

    /// <summary>SIGKILLs a process if it is still there.</summary>
    public static void KillHard(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            process.Kill();
        }
        catch (ArgumentException)
        {
            // Already gone.
        }
        catch (InvalidOperationException)
        {
            // Exited meanwhile.
        }
    }

    /// <summary>Whether a process exists and is not a zombie.</summary>
    public static bool IsAlive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..][0] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>The cgroup v2 path of a process (the <c>0::</c> line of /proc/&lt;pid&gt;/cgroup).</summary>
    public static string CgroupOf(int pid) =>
        File.ReadAllLines($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/cgroup")
            .Single(l => l.StartsWith("0::", StringComparison.Ordinal))[3..];

    /// <summary>The command name of a process.</summary>
    public static string CommandOf(int pid) =>
        File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/comm").Trim();

    /// <summary>The PIDs listed in a cgroup's cgroup.procs.</summary>
    public static IReadOnlyList<int> ProcessesIn(string cgroupDirectory) =>
        File.ReadAllLines(Path.Combine(cgroupDirectory, "cgroup.procs"))
            .Where(l => l.Length > 0)
            .Select(l => int.Parse(l, CultureInfo.InvariantCulture))
            .ToArray();
}
