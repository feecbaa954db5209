using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using Microsoft.Win32.SafeHandles;

namespace Spiffe.Agent.Attestation.Interop;

/// <summary>
/// Every Linux kernel interface attestation uses that .NET does not expose: socket option numbers, the pidfd
/// syscalls, <c>open</c>/<c>openat</c> for a held <c>/proc/&lt;pid&gt;</c> directory, and <c>statx</c>. Numbers are the
/// generic Linux ABI values, which x64, arm64, arm and s390x share; pidfd syscall numbers are the same on every
/// architecture (the unified table from 424 on).
/// </summary>
[SupportedOSPlatform("linux")]
internal static partial class LinuxInterop
{
    /// <summary><c>SOL_SOCKET</c>.</summary>
    public const int SolSocket = 1;

    /// <summary><c>SO_PEERPIDFD</c> (Linux 6.5): a pidfd for the peer process, captured at connect time.</summary>
    public const int SoPeerPidfd = 77;

    /// <summary>The size of <c>struct ucred</c>: <c>{ pid_t pid; uid_t uid; gid_t gid; }</c>.</summary>
    public const int UcredSize = 12;

    /// <summary><c>ESRCH</c>: no such process.</summary>
    public const int Esrch = 3;

    /// <summary><c>EPERM</c>: not permitted (for signal 0: the process exists but belongs to someone else).</summary>
    public const int Eperm = 1;

    /// <summary><c>ENOSYS</c>: the kernel lacks the syscall.</summary>
    public const int Enosys = 38;

    private const string Libc = "libc";
    private const int SysPidfdSendSignal = 424;
    private const int SysPidfdOpen = 434;
    private const int OpenReadOnlyCloseOnExec = 0x80000; // O_RDONLY | O_CLOEXEC
    private const int AtEmptyPath = 0x1000;
    private const uint StatxRequiredMask = 0x40 | 0x80 | 0x100 | 0x200; // STATX_MTIME | STATX_CTIME | STATX_INO | STATX_SIZE

    /// <summary>
    /// <c>SO_PEERCRED</c>: 17 on the generic ABI, 21 on ppc64le (it keeps the historical PowerPC numbering).
    /// </summary>
    public static int SoPeerCred => RuntimeInformation.ProcessArchitecture == Architecture.Ppc64le ? 21 : 17;

    /// <summary><c>pidfd_open(pid, 0)</c>; an invalid handle and the errno on failure.</summary>
    public static SafeFileHandle PidfdOpen(int pid, out int errno)
    {
        var fd = Syscall(SysPidfdOpen, pid, 0, 0, 0);
        errno = fd < 0 ? Marshal.GetLastPInvokeError() : 0;
        return new SafeFileHandle(fd < 0 ? -1 : fd, ownsHandle: true);
    }

    /// <summary><c>pidfd_send_signal(pidfd, 0, NULL, 0)</c>: 0 when the process exists, else the errno.</summary>
    public static int PidfdSendSignalZero(SafeFileHandle pidfd)
    {
        var added = false;
        try
        {
            pidfd.DangerousAddRef(ref added);
            return Syscall(SysPidfdSendSignal, pidfd.DangerousGetHandle(), 0, 0, 0) == 0 ? 0 : Marshal.GetLastPInvokeError();
        }
        finally
        {
            if (added)
            {
                pidfd.DangerousRelease();
            }
        }
    }

    /// <summary>Opens a directory (or file) read-only, close-on-exec; an invalid handle and the errno on failure.</summary>
    public static SafeFileHandle OpenReadOnly(string path, out int errno)
    {
        var handle = Open(path, OpenReadOnlyCloseOnExec, 0);
        errno = handle.IsInvalid ? Marshal.GetLastPInvokeError() : 0;
        return handle;
    }

    /// <summary>Opens <paramref name="name"/> relative to a held directory; an invalid handle and the errno on failure.</summary>
    public static SafeFileHandle OpenAtReadOnly(SafeFileHandle directory, string name, out int errno)
    {
        var handle = OpenAt(directory, name, OpenReadOnlyCloseOnExec, 0);
        errno = handle.IsInvalid ? Marshal.GetLastPInvokeError() : 0;
        return handle;
    }

    /// <summary>
    /// <c>statx</c> of an open file (<c>AT_EMPTY_PATH</c>): the identity of the inode behind the handle.
    /// </summary>
    /// <exception cref="IOException">statx failed or did not report inode, size and times.</exception>
    public static FileIdentity GetFileIdentity(SafeFileHandle file)
    {
        if (Statx(file, string.Empty, AtEmptyPath, StatxRequiredMask, out var buffer) != 0)
        {
            throw new IOException($"statx failed with errno {Marshal.GetLastPInvokeError()}");
        }

        if ((buffer.Mask & StatxRequiredMask) != StatxRequiredMask)
        {
            throw new IOException("statx did not report inode, size, mtime and ctime");
        }

        return new FileIdentity(
            buffer.DevMajor,
            buffer.DevMinor,
            buffer.Inode,
            buffer.Size,
            buffer.MtimeSeconds,
            buffer.MtimeNanoseconds,
            buffer.CtimeSeconds,
            buffer.CtimeNanoseconds);
    }

    // syscall(2) is variadic; every argument is passed as a full register, which is what the kernel reads.
    [LibraryImport(Libc, EntryPoint = "syscall", SetLastError = true)]
    private static partial nint Syscall(nint number, nint arg1, nint arg2, nint arg3, nint arg4);

    [LibraryImport(Libc, EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial SafeFileHandle Open(string path, int flags, int mode);

    [LibraryImport(Libc, EntryPoint = "openat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial SafeFileHandle OpenAt(SafeFileHandle directory, string path, int flags, int mode);

    [LibraryImport(Libc, EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Statx(SafeFileHandle directory, string path, int flags, uint mask, out StatxBuffer buffer);

    /// <summary>The fields of <c>struct statx</c> (a fixed, architecture-independent 256-byte layout) that are used.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 256)]
    private struct StatxBuffer
    {
        [FieldOffset(0)]
        public uint Mask;

        [FieldOffset(32)]
        public ulong Inode;

        [FieldOffset(40)]
        public ulong Size;

        [FieldOffset(96)]
        public long CtimeSeconds;

        [FieldOffset(104)]
        public uint CtimeNanoseconds;

        [FieldOffset(112)]
        public long MtimeSeconds;

        [FieldOffset(120)]
        public uint MtimeNanoseconds;

        [FieldOffset(136)]
        public uint DevMajor;

        [FieldOffset(140)]
        public uint DevMinor;
    }
}
