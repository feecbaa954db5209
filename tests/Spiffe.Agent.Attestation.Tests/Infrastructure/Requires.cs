using System.Runtime.Versioning;
using Spiffe.Agent.Attestation.Proc;

namespace Spiffe.Agent.Attestation.Tests.Infrastructure;

/// <summary>Skips a test only when a facility it needs is really missing on this machine.</summary>
internal static class Requires
{
    [SupportedOSPlatformGuard("linux")]
    public static bool IsLinux => OperatingSystem.IsLinux();

    /// <summary>Linux, running as root (to start children under other users and to create cgroups).</summary>
    public static void LinuxRoot()
    {
        if (!OperatingSystem.IsLinux())
        {
            Assert.Ignore("needs Linux");
        }

        if (ProcStatus.Parse(File.ReadAllText("/proc/self/status")).EffectiveUid != 0)
        {
            Assert.Ignore("needs root");
        }
    }

    /// <summary>An executable on PATH.</summary>
    public static string Tool(string name)
    {
        var path = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, name))
            .FirstOrDefault(File.Exists);
        if (path is null)
        {
            Assert.Ignore($"needs {name} on PATH");
        }

        return path!;
    }

    /// <summary>
    /// A python3 that other users can run: /usr/bin/python3 (the distribution's), else the first on PATH.
    /// </summary>
    public static string Python() => File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : Tool("python3");
}
