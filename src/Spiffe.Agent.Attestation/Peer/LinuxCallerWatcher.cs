using System.Runtime.Versioning;
using Microsoft.Extensions.Logging;
using Microsoft.Win32.SafeHandles;
using Spiffe.Agent.Attestation.Interop;
using Spiffe.Agent.Attestation.Proc;
using Spiffe.Agent.Core.Attestation;

namespace Spiffe.Agent.Attestation.Peer;

/// <summary>
/// Watches one caller. It holds a pidfd for the process when the kernel offers one (the first line: the pidfd can
/// only ever refer to the process that connected) and, always, an open handle on its <c>/proc/&lt;pid&gt;</c>
/// directory with the start time read through it (SPIRE's line, kept as the second): reads through that handle fail
/// once the process is reaped, even if the PID has been reused, and the start time, state, uid and gid must still
/// match.
/// </summary>
[SupportedOSPlatform("linux")]
internal sealed class LinuxCallerWatcher : ICallerWatcher
{
    private readonly SafeFileHandle? _pidfd;
    private readonly SafeFileHandle _procDirectory;
    private readonly ulong _startTime;
    private readonly ILogger _logger;
    private int _disposed;

    private LinuxCallerWatcher(
        CallerCredentials credentials, SafeFileHandle? pidfd, SafeFileHandle procDirectory, ulong startTime, ILogger logger)
    {
        Credentials = credentials;
        _pidfd = pidfd;
        _procDirectory = procDirectory;
        _startTime = startTime;
        _logger = logger;
    }

    /// <inheritdoc />
    public CallerCredentials Credentials { get; }

    /// <summary>
    /// Starts watching: opens <c>/proc/&lt;pid&gt;</c>, records the start time, and checks the process against the
    /// credentials straight away. Takes ownership of <paramref name="pidfd"/> (null when no pidfd is available).
    /// </summary>
    /// <exception cref="CallerTrackingException">The caller is already gone or is not the process that connected.</exception>
    public static LinuxCallerWatcher Start(
        CallerCredentials credentials, SafeFileHandle? pidfd, ProcFileSystem proc, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(proc);
        ArgumentNullException.ThrowIfNull(logger);
        var directory = LinuxInterop.OpenReadOnly(proc.GetProcessDirectory(credentials.Pid), out var errno);
        if (directory.IsInvalid)
        {
            directory.Dispose();
            pidfd?.Dispose();
            throw new CallerTrackingException($"could not open the caller's proc directory for PID {credentials.Pid} (errno {errno})");
        }

        ulong startTime;
        try
        {
            startTime = ProcStat.Parse(ReadEntry(directory, "stat")).StartTime;
        }
        catch (Exception ex) when (ex is IOException or FormatException)
        {
            directory.Dispose();
            pidfd?.Dispose();
            throw new CallerTrackingException($"could not read the start time of caller PID {credentials.Pid}", ex);
        }

        var watcher = new LinuxCallerWatcher(credentials, pidfd, directory, startTime, logger);
        var mismatch = watcher.Check();
        if (mismatch is not null)
        {
            watcher.Dispose();
            throw new CallerTrackingException($"caller PID {credentials.Pid} is not the process that connected: {mismatch}");
        }

        return watcher;
    }

    /// <inheritdoc />
    public bool IsAlive()
    {
        var reason = Volatile.Read(ref _disposed) != 0 ? "caller is no longer being watched" : Check();
        if (reason is null)
        {
            return true;
        }

        AttestationLog.CallerCheckFailed(_logger, Credentials.Pid, Credentials.Uid, Credentials.Gid, reason);
        return false;
    }

    /// <summary>Closes the pidfd and the proc directory handle.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _pidfd?.Dispose();
            _procDirectory.Dispose();
        }
    }

    private static string ReadEntry(SafeFileHandle directory, string name)
    {
        using var file = LinuxInterop.OpenAtReadOnly(directory, name, out var errno);
        if (file.IsInvalid)
        {
            throw new IOException($"could not open {name} in the caller's proc directory (errno {errno})");
        }

        using var stream = new FileStream(file, FileAccess.Read, bufferSize: 0);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private string? Check()
    {
        try
        {
            // procfs first, pidfd last: if the pidfd still names a live process after the reads, the PID was not
            // recycled while they ran, so they described the original caller.
            var stat = ProcStat.Parse(ReadEntry(_procDirectory, "stat"));
            var status = ProcStatus.Parse(ReadEntry(_procDirectory, "status"));
            var mismatch = CallerLiveness.FindMismatch(Credentials, _startTime, stat, status);
            if (mismatch is not null || _pidfd is null)
            {
                return mismatch;
            }

            var errno = LinuxInterop.PidfdSendSignalZero(_pidfd);
            return errno switch
            {
                0 or LinuxInterop.Eperm => null,
                LinuxInterop.Esrch => "pidfd reports that the process has exited",
                _ => $"pidfd check failed (errno {errno})",
            };
        }
        catch (Exception ex) when (ex is IOException or FormatException)
        {
            return $"caller exit suspected: {ex.Message}";
        }
        catch (ObjectDisposedException)
        {
            return "caller is no longer being watched";
        }
    }
}
