using System.Diagnostics;
using System.Globalization;

namespace Spiffe.Agent.Attestation.Tests.Infrastructure;

/// <summary>
/// A python3 child that runs until its stdin closes, optionally under another user and groups (through
/// <c>setpriv</c>, which execs python in place, so the PID is python's). It prints <c>ready</c> once it is set up, so
/// tests never wait on time.
/// </summary>
internal sealed class ChildProcess : IAsyncDisposable
{
    /// <summary>Waits for stdin to close.</summary>
    public const string IdleScript = "import sys\nprint('ready', flush=True)\nsys.stdin.read()\n";

    /// <summary>Connects to the Unix socket in argv[1], then waits for stdin to close.</summary>
    public const string ConnectScript =
        "import socket, sys\ns = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)\ns.connect(sys.argv[1])\n" +
        "print('ready', flush=True)\nsys.stdin.read()\n";

    /// <summary>Connects to the Unix socket in argv[1] and exits at once, leaving the connection queued.</summary>
    public const string ConnectAndExitScript =
        "import socket, sys\ns = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)\ns.connect(sys.argv[1])\n" +
        "print('ready', flush=True)\n";

    /// <summary>Holds an exclusive advisory lock (flock) on the file in argv[1] until stdin closes.</summary>
    public const string FlockScript =
        "import fcntl, sys\nf = open(sys.argv[1])\nfcntl.flock(f, fcntl.LOCK_EX)\nprint('ready', flush=True)\nsys.stdin.read()\n";

    private readonly Process _process;

    private ChildProcess(Process process) => _process = process;

    public int Pid => _process.Id;

    /// <summary>
    /// Starts the child under <c>identity</c> (null: the test's own user) and waits for its <c>ready</c> line.
    /// </summary>
    public static async Task<ChildProcess> StartAsync(
        ChildIdentity? identity, string script, IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        var python = Requires.Python();
        var startInfo = new ProcessStartInfo
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = "/",
        };
        if (identity is null)
        {
            startInfo.FileName = python;
        }
        else
        {
            startInfo.FileName = Requires.Tool("setpriv");
            startInfo.ArgumentList.Add(string.Create(CultureInfo.InvariantCulture, $"--reuid={identity.Uid}"));
            startInfo.ArgumentList.Add(string.Create(CultureInfo.InvariantCulture, $"--regid={identity.Gid}"));
            startInfo.ArgumentList.Add(identity.Groups.Count == 0
                ? "--clear-groups"
                : "--groups=" + string.Join(",", identity.Groups.Select(g => g.ToString(CultureInfo.InvariantCulture))));
            startInfo.ArgumentList.Add(python);
        }

        startInfo.ArgumentList.Add("-c");
        startInfo.ArgumentList.Add(script);
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        var process = Process.Start(startInfo) ?? throw new InvalidOperationException("could not start the child");
        var line = await process.StandardOutput.ReadLineAsync(cancellationToken);
        if (line != "ready")
        {
            var error = await process.StandardError.ReadToEndAsync(cancellationToken);
            process.Kill();
            await process.WaitForExitAsync(cancellationToken);
            process.Dispose();
            throw new InvalidOperationException($"child did not start: {error}");
        }

        return new ChildProcess(process);
    }

    /// <summary>Closes the child's stdin and waits until it has exited and been reaped.</summary>
    public async Task ExitAsync(CancellationToken cancellationToken)
    {
        _process.StandardInput.Close();
        await _process.WaitForExitAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}

/// <summary>The user, primary group and supplementary groups a child runs with.</summary>
internal sealed record ChildIdentity(uint Uid, uint Gid, IReadOnlyList<uint> Groups);
