using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using Microsoft.Extensions.Logging;
using Microsoft.Win32.SafeHandles;
using Spiffe.Agent.Attestation.Interop;
using Spiffe.Agent.Attestation.Proc;
using Spiffe.Agent.Core.Attestation;

namespace Spiffe.Agent.Attestation.Peer;

/// <summary>
/// Linux <see cref="IPeerTracker"/>: <c>SO_PEERCRED</c> once at connection time, then a pidfd for the caller
/// (<c>SO_PEERPIDFD</c>, Linux 6.5+, race-free because the kernel captured the process at connect time; else
/// <c>pidfd_open</c> on the PID; else none) and a held <c>/proc/&lt;pid&gt;</c> directory with its start time.
/// </summary>
[SupportedOSPlatform("linux")]
internal sealed class LinuxPeerTracker : IPeerTracker
{
    private const string ProcDirectoryOnly = "a /proc directory handle";
    private readonly ProcFileSystem _proc;
    private readonly ILogger<LinuxPeerTracker> _logger;

    /// <summary>Creates the tracker.</summary>
    public LinuxPeerTracker(ProcFileSystem proc, ILogger<LinuxPeerTracker> logger)
    {
        _proc = proc ?? throw new ArgumentNullException(nameof(proc));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    /// <inheritdoc />
    public ICallerWatcher Track(Socket acceptedUnixSocket)
    {
        ArgumentNullException.ThrowIfNull(acceptedUnixSocket);
        if (acceptedUnixSocket.AddressFamily != AddressFamily.Unix)
        {
            throw new ArgumentException("peer credentials exist only for Unix-domain sockets", nameof(acceptedUnixSocket));
        }

        var credentials = ReadPeerCredentials(acceptedUnixSocket);
        var (pidfd, mechanism) = OpenPidfd(acceptedUnixSocket, credentials.Pid);
        var watcher = LinuxCallerWatcher.Start(credentials, pidfd, _proc, _logger);
        AttestationLog.CallerTracked(_logger, credentials.Pid, credentials.Uid, credentials.Gid, mechanism);
        return watcher;
    }

    private static CallerCredentials ReadPeerCredentials(Socket socket)
    {
        Span<byte> ucred = stackalloc byte[LinuxInterop.UcredSize];
        int length;
        try
        {
            length = socket.GetRawSocketOption(LinuxInterop.SolSocket, LinuxInterop.SoPeerCred, ucred);
        }
        catch (SocketException ex)
        {
            throw new CallerTrackingException("could not read the peer credentials (SO_PEERCRED)", ex);
        }

        if (length != LinuxInterop.UcredSize)
        {
            throw new CallerTrackingException($"SO_PEERCRED returned {length} bytes; expected {LinuxInterop.UcredSize}");
        }

        var credentials = new CallerCredentials(
            MemoryMarshal.Read<int>(ucred),
            MemoryMarshal.Read<uint>(ucred[4..]),
            MemoryMarshal.Read<uint>(ucred[8..]));
        if (credentials.Pid <= 0)
        {
            // The kernel reports PID 0 when the peer is in a PID namespace the agent cannot see.
            throw new CallerTrackingException("could not resolve caller information: the peer PID is not visible to the agent");
        }

        return credentials;
    }

    private static (SafeFileHandle? Pidfd, string Mechanism) OpenPidfd(Socket socket, int pid)
    {
        Span<byte> fd = stackalloc byte[sizeof(int)];
        try
        {
            if (socket.GetRawSocketOption(LinuxInterop.SolSocket, LinuxInterop.SoPeerPidfd, fd) == sizeof(int))
            {
                return (new SafeFileHandle(MemoryMarshal.Read<int>(fd), ownsHandle: true), "SO_PEERPIDFD");
            }
        }
        catch (SocketException ex) when (ex.SocketErrorCode is SocketError.ProtocolOption or SocketError.InvalidArgument)
        {
            // Kernel older than 6.5: fall through to pidfd_open.
        }
        catch (SocketException ex)
        {
            throw new CallerTrackingException("the caller exited before it could be tracked (SO_PEERPIDFD)", ex);
        }

        var pidfd = LinuxInterop.PidfdOpen(pid, out var errno);
        if (!pidfd.IsInvalid)
        {
            return (pidfd, "pidfd_open");
        }

        pidfd.Dispose();
        return errno switch
        {
            // No pidfd support (kernel older than 5.3, or a seccomp filter that refuses the syscall).
            LinuxInterop.Enosys or LinuxInterop.Eperm => (null, ProcDirectoryOnly),
            LinuxInterop.Esrch => throw new CallerTrackingException($"the caller PID {pid} exited before it could be tracked"),
            _ => throw new CallerTrackingException($"pidfd_open failed for caller PID {pid} (errno {errno})"),
        };
    }
}
