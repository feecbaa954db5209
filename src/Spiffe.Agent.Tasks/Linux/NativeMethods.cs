using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace Spiffe.Agent.Tasks.Linux;

/// <summary>libc entry points used by task supervision (pidfds and poll). Syscall numbers are the unified ones (x86_64 and aarch64).</summary>
[SupportedOSPlatform("linux")]
internal static partial class NativeMethods
{
    internal const long SysPidfdSendSignal = 424;
    internal const long SysPidfdOpen = 434;

    internal const int SigKill = 9;
    internal const int SigCont = 18;

    internal const short PollIn = 0x001;

    internal const int Esrch = 3;
    internal const int Eintr = 4;

    [StructLayout(LayoutKind.Sequential)]
    internal struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }

    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    internal static partial long Syscall(long number, long arg1, long arg2, long arg3, long arg4);

    [LibraryImport("libc", EntryPoint = "poll", SetLastError = true)]
    internal static partial int Poll(ref PollFd fds, nuint count, int timeoutMilliseconds);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    internal static partial int Close(int fd);
}
