using System.ComponentModel;
using System.Runtime.InteropServices;

namespace Spiffe.Sidecar;

/// <summary>Signal names as written in the configuration, and <c>kill(2)</c>.</summary>
internal static partial class PosixSignals
{
    private static readonly Dictionary<string, SidecarSignal> Names = new(StringComparer.Ordinal)
    {
        ["SIGHUP"] = SidecarSignal.Hangup,
        ["SIGINT"] = SidecarSignal.Interrupt,
        ["SIGQUIT"] = SidecarSignal.Quit,
        ["SIGKILL"] = SidecarSignal.Kill,
        ["SIGUSR1"] = SidecarSignal.User1,
        ["SIGUSR2"] = SidecarSignal.User2,
        ["SIGTERM"] = SidecarSignal.Terminate,
    };

    /// <summary>The accepted names, for error messages.</summary>
    public static string KnownNames => string.Join(", ", Names.Keys);

    /// <summary>Parses <c>SIGHUP</c>, <c>HUP</c> and the like (upper case).</summary>
    public static bool TryParse(string name, out SidecarSignal signal) =>
        Names.TryGetValue(name.StartsWith("SIG", StringComparison.Ordinal) ? name : "SIG" + name, out signal);

    /// <summary>Sends a signal to a process.</summary>
    /// <exception cref="Win32Exception">kill(2) failed, for example because no such process exists.</exception>
    /// <exception cref="PlatformNotSupportedException">Not on Linux.</exception>
    public static void Send(int pid, SidecarSignal signal)
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("sending renew signals is supported on Linux only");
        }

        if (Kill(pid, (int)signal) != 0)
        {
            throw new Win32Exception(Marshal.GetLastPInvokeError());
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
