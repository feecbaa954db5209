using System.Diagnostics;
using System.Runtime.Versioning;
using Spiffe.Agent.Tasks.Linux;

namespace Spiffe.Agent.Tasks;

/// <summary>
/// Runs a command as a task's main process without a window in which it runs outside the task: a shell shim stops
/// itself (<c>/bin/sh -c 'kill -STOP $$; exec "$@"' sh &lt;command…&gt;</c>), the caller registers the stopped PID
/// (the agent moves it into the task cgroup and opens its pidfd), then the shim is continued and <c>exec</c>s the
/// command under the same PID. Standard input, output and error are inherited.
/// </summary>
[SupportedOSPlatform("linux")]
internal sealed class TaskLauncher
{
    private const string Shell = "/bin/sh";
    private const string Shim = "kill -STOP $$; exec \"$@\"";

    private static readonly TimeSpan StopPollInterval = TimeSpan.FromMilliseconds(2);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(10);

    private readonly ProcFs proc;
    private readonly TimeProvider timeProvider;

    public TaskLauncher(ProcFs proc, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(proc);
        ArgumentNullException.ThrowIfNull(timeProvider);
        this.proc = proc;
        this.timeProvider = timeProvider;
    }

    /// <summary>
    /// Starts <paramref name="command"/> stopped, awaits <paramref name="registerMainProcess"/> with its PID, continues
    /// it and returns its exit code (128 + signal when killed by a signal). When registration fails or the wait is
    /// cancelled the process is killed.
    /// </summary>
    public async Task<int> RunAsync(
        IReadOnlyList<string> command,
        Func<int, CancellationToken, Task> registerMainProcess,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(registerMainProcess);
        if (command.Count == 0)
        {
            throw new ArgumentException("command is empty", nameof(command));
        }

        var start = new ProcessStartInfo(Shell) { UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(Shim);
        start.ArgumentList.Add("sh");
        foreach (var argument in command)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("the shim did not start");
        using var pidfd = PidFd.TryOpen(process.Id) ?? throw new InvalidOperationException("the shim exited at once");
        try
        {
            await WaitUntilStoppedAsync(process.Id, pidfd, cancellationToken);
            await registerMainProcess(process.Id, cancellationToken);
            pidfd.TrySendSignal(NativeMethods.SigCont);
            await process.WaitForExitAsync(cancellationToken);
            return process.ExitCode;
        }
        catch
        {
            pidfd.TrySendSignal(NativeMethods.SigKill);
            throw;
        }
    }

    private async Task WaitUntilStoppedAsync(int pid, PidFd pidfd, CancellationToken cancellationToken)
    {
        var deadline = timeProvider.GetUtcNow() + StopTimeout;
        while (proc.TryReadStat(pid) is not { State: 'T' })
        {
            if (pidfd.HasExited())
            {
                throw new InvalidOperationException($"the shim {pid} exited before stopping");
            }

            if (timeProvider.GetUtcNow() >= deadline)
            {
                throw new TimeoutException($"the shim {pid} did not stop within {StopTimeout}");
            }

            await Task.Delay(StopPollInterval, timeProvider, cancellationToken);
        }
    }
}
