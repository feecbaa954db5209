using System.Diagnostics;
using System.Text;

namespace Spiffe.Agent.Tests.Infrastructure;

/// <summary>
/// A child process with captured standard output and error (also appended to a log file when given). Disposing kills
/// it (and its descendants) if it is still running, so a failing test never leaves processes behind.
/// </summary>
internal sealed class ChildProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly StringBuilder _error = new();
    private readonly StreamWriter? _log;
    private readonly Lock _gate = new();
    private readonly List<(string Marker, TaskCompletionSource Seen)> _waiters = [];

    private ChildProcess(Process process, string? logFile)
    {
        _process = process;
        if (logFile is not null)
        {
            _log = new StreamWriter(new FileStream(logFile, FileMode.Append, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = true };
        }
    }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public string Output
    {
        get
        {
            lock (_gate)
            {
                return _output.ToString();
            }
        }
    }

    public string Error
    {
        get
        {
            lock (_gate)
            {
                return _error.ToString();
            }
        }
    }

    /// <summary>Starts <paramref name="fileName"/>; with <paramref name="uid"/>, under that uid and gid via setpriv.</summary>
    public static ChildProcess Start(string fileName, IEnumerable<string> arguments, string? logFile = null, int? uid = null, string? workingDirectory = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Path.GetTempPath(),
        };
        if (uid is { } id)
        {
            info.FileName = "setpriv";
            foreach (var argument in new[] { $"--reuid={id}", $"--regid={id}", "--clear-groups", fileName })
            {
                info.ArgumentList.Add(argument);
            }

            // Another user cannot write root's home; keep the .NET host away from it.
            info.Environment["HOME"] = Path.GetTempPath();
            info.Environment["DOTNET_CLI_HOME"] = Path.GetTempPath();
        }
        else
        {
            info.FileName = fileName;
        }

        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment.Remove("SPIFFE_ENDPOINT_SOCKET");
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var child = new ChildProcess(process, logFile);
        process.OutputDataReceived += (_, e) => child.Append(child._output, e.Data);
        process.ErrorDataReceived += (_, e) => child.Append(child._error, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        process.StandardInput.Close();
        return child;
    }

    /// <summary>Runs <c>dotnet &lt;dll&gt; args</c> to completion and returns its exit code and output.</summary>
    public static async Task<(int ExitCode, string Output, string Error)> RunDotnetAsync(string dll, IEnumerable<string> arguments, int? uid = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        await using var child = Start("dotnet", [dll, .. arguments], uid: uid, environment: environment);
        var exitCode = await child.WaitForExitAsync().DefaultTimeout();
        return (exitCode, child.Output, child.Error);
    }

    /// <summary>Waits for the process (and its output) to end and returns the exit code.</summary>
    public async Task<int> WaitForExitAsync()
    {
        await _process.WaitForExitAsync();
        return _process.ExitCode;
    }

    /// <summary>Completes when a line containing <paramref name="marker"/> appears on standard output or error.</summary>
    public Task WaitForLineAsync(string marker)
    {
        lock (_gate)
        {
            if (_output.ToString().Contains(marker, StringComparison.Ordinal) || _error.ToString().Contains(marker, StringComparison.Ordinal))
            {
                return Task.CompletedTask;
            }

            var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((marker, waiter));
            return waiter.Task;
        }
    }

    /// <summary>Asks the process to stop (SIGTERM), as a service manager or Ctrl-C would.</summary>
    public async Task TerminateAsync()
    {
        if (_process.HasExited)
        {
            return;
        }

        using var kill = Process.Start(new ProcessStartInfo("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]) { UseShellExecute = false })!;
        await kill.WaitForExitAsync().DefaultTimeout();
    }

    /// <summary>Kills the process at once (SIGKILL), as a crash would.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            Kill();
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (InvalidOperationException)
        {
            // Never started or already reaped.
        }
        catch (TimeoutException)
        {
            // Leave it to the OS.
        }

        _process.Dispose();
        if (_log is not null)
        {
            await _log.DisposeAsync();
        }
    }

    private void Append(StringBuilder buffer, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_gate)
        {
            buffer.AppendLine(line);
            _log?.WriteLine(line);
            foreach (var waiter in _waiters.Where(w => line.Contains(w.Marker, StringComparison.Ordinal)).ToList())
            {
                waiter.Seen.TrySetResult();
                _waiters.Remove(waiter);
            }
        }
    }
}
