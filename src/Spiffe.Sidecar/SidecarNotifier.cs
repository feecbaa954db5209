using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;

namespace Spiffe.Sidecar;

/// <summary>
/// Tells the workload that its files changed: sends <c>renew_signal</c> to the PID in <c>pid_file_name</c>; and for
/// <c>cmd</c>, either starts it as a long-running child on the first renewal and sends it <c>renew_signal</c> on later
/// ones (started again if it has exited), or, without a signal, runs it to completion after each renewal.
/// Failures are logged; they never stop the sidecar.
/// </summary>
internal sealed class SidecarNotifier : IAsyncDisposable
{
    private static readonly TimeSpan StopGracePeriod = TimeSpan.FromSeconds(5);

    private readonly SidecarOptions options;
    private readonly ILogger logger;
    private readonly TimeProvider timeProvider;
    private Process? child;

    public SidecarNotifier(SidecarOptions options, ILogger logger, TimeProvider timeProvider)
    {
        this.options = options;
        this.logger = logger;
        this.timeProvider = timeProvider;
    }

    public async Task NotifyAsync(CancellationToken cancellationToken)
    {
        if (this.options.PidFileName is { } pidFile)
        {
            this.SignalPidFile(pidFile, this.options.RenewSignal!.Value);
        }

        if (this.options.Command is { } command)
        {
            if (this.options.RenewSignal is { } signal)
            {
                this.StartOrSignalChild(command, signal);
            }
            else
            {
                await this.RunToCompletionAsync(command, cancellationToken);
            }
        }
    }

    /// <summary>Stops the child: SIGTERM, then SIGKILL if it has not exited after a grace period.</summary>
    public async ValueTask DisposeAsync()
    {
        if (this.child is not { HasExited: false } running)
        {
            this.child?.Dispose();
            return;
        }

        try
        {
            PosixSignals.Send(running.Id, SidecarSignal.Terminate);
            using var grace = new CancellationTokenSource(StopGracePeriod, this.timeProvider);
            await running.WaitForExitAsync(grace.Token);
        }
        catch (Exception ex) when (ex is OperationCanceledException or Win32Exception or PlatformNotSupportedException)
        {
            running.Kill(entireProcessTree: true);
        }
        finally
        {
            running.Dispose();
        }
    }

    private void SignalPidFile(string pidFile, SidecarSignal signal)
    {
        try
        {
            var text = File.ReadAllText(pidFile).Trim();
            if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || pid <= 0)
            {
                this.logger.NotifyFailed($"the PID file {pidFile} does not hold a process ID", exception: null);
                return;
            }

            PosixSignals.Send(pid, signal);
            this.logger.Signalled(signal, pid);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or Win32Exception or PlatformNotSupportedException)
        {
            this.logger.NotifyFailed($"cannot signal the process in {pidFile}", ex);
        }
    }

    private void StartOrSignalChild(string command, SidecarSignal signal)
    {
        if (this.child is { HasExited: false } running)
        {
            try
            {
                PosixSignals.Send(running.Id, signal);
                this.logger.Signalled(signal, running.Id);
            }
            catch (Exception ex) when (ex is Win32Exception or PlatformNotSupportedException)
            {
                this.logger.NotifyFailed($"cannot signal {command} (process {running.Id})", ex);
            }

            return;
        }

        this.child?.Dispose();
        this.child = this.Start(command);
    }

    private async Task RunToCompletionAsync(string command, CancellationToken cancellationToken)
    {
        using var process = this.Start(command);
        if (process is null)
        {
            return;
        }

        try
        {
            await process.WaitForExitAsync(cancellationToken);
            this.logger.CommandExited(command, process.ExitCode);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
    }

    private Process? Start(string command)
    {
        var start = new ProcessStartInfo(command) { UseShellExecute = false };
        foreach (var argument in this.options.CommandArguments)
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            var process = Process.Start(start)!;
            this.logger.ChildStarted(command, process.Id);
            return process;
        }
        catch (Win32Exception ex)
        {
            this.logger.NotifyFailed($"cannot start {command}", ex);
            return null;
        }
    }
}
