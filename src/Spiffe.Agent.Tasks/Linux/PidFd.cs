using System.ComponentModel;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace Spiffe.Agent.Tasks.Linux;

/// <summary>
/// A pidfd (<c>pidfd_open(2)</c>): a handle that refers to one process for as long as it is open, so a recycled PID
/// can never be mistaken for the process it was opened on.
/// </summary>
[SupportedOSPlatform("linux")]
internal sealed class PidFd : SafeHandle
{
    private PidFd(int fd)
        : base(new IntPtr(-1), ownsHandle: true)
    {
        SetHandle(new IntPtr(fd));
    }

    /// <inheritdoc />
    public override bool IsInvalid => handle.ToInt64() < 0;

    /// <summary>Opens a pidfd for <paramref name="pid"/>; <see langword="null"/> when no such process exists.</summary>
    /// <exception cref="Win32Exception">pidfd_open failed for another reason.</exception>
    public static PidFd? TryOpen(int pid)
    {
        var fd = NativeMethods.Syscall(NativeMethods.SysPidfdOpen, pid, 0, 0, 0);
        if (fd >= 0)
        {
            return new PidFd((int)fd);
        }

        var errno = Marshal.GetLastPInvokeError();
        if (errno == NativeMethods.Esrch)
        {
            return null;
        }

        throw new Win32Exception(errno, $"pidfd_open({pid}) failed");
    }

    /// <summary>
    /// Whether the process has exited. A pidfd becomes readable when its process terminates (also while it is an
    /// unreaped zombie, which <c>pidfd_send_signal(fd, 0)</c> would still report as alive).
    /// </summary>
    public bool HasExited()
    {
        var added = false;
        try
        {
            DangerousAddRef(ref added);
            var poll = new NativeMethods.PollFd { Fd = (int)handle, Events = NativeMethods.PollIn };
            while (true)
            {
                var ready = NativeMethods.Poll(ref poll, 1, 0);
                if (ready >= 0)
                {
                    return ready > 0;
                }

                var errno = Marshal.GetLastPInvokeError();
                if (errno != NativeMethods.Eintr)
                {
                    throw new Win32Exception(errno, "poll on pidfd failed");
                }
            }
        }
        finally
        {
            if (added)
            {
                DangerousRelease();
            }
        }
    }

    /// <summary>
    /// Sends <paramref name="signal"/> to the process with <c>pidfd_send_signal(2)</c>: race-free against PID reuse.
    /// </summary>
    /// <returns><see langword="false"/> when the process has already exited.</returns>
    public bool TrySendSignal(int signal)
    {
        var added = false;
        try
        {
            DangerousAddRef(ref added);
            var result = NativeMethods.Syscall(NativeMethods.SysPidfdSendSignal, (int)handle, signal, 0, 0);
            if (result == 0)
            {
                return true;
            }

            var errno = Marshal.GetLastPInvokeError();
            return errno == NativeMethods.Esrch
                ? false
                : throw new Win32Exception(errno, "pidfd_send_signal failed");
        }
        finally
        {
            if (added)
            {
                DangerousRelease();
            }
        }
    }

    /// <inheritdoc />
    protected override bool ReleaseHandle() => NativeMethods.Close((int)handle) == 0;
}
