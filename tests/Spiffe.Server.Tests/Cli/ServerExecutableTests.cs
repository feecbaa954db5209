using System.Diagnostics;
using System.Runtime.Versioning;
using Spiffe.Server.Tests.Infrastructure;

namespace Spiffe.Server.Tests.Cli;

/// <summary>
/// End to end with the built executable: <c>dotnet spiffe-server.dll run -config …</c> as a child process, then
/// <c>token generate</c>, <c>entry create</c> and <c>entry show</c> as further child processes against its socket,
/// then SIGTERM, which must stop the server cleanly.
/// </summary>
[TestFixture]
public sealed class ServerExecutableTests
{
    private static readonly TimeSpan StartupTimeout = TimeSpan.FromSeconds(60);

    [Test]
    [SupportedOSPlatform("linux")]
    public async Task RunThenOperatorCommands_AsChildProcesses_Work()
    {
        // Arrange
        using var directory = new TempDirectory();
        var configPath = directory.File("server.conf");
        await File.WriteAllTextAsync(configPath, ServerConfigFile.Text(directory.Path, 0));
        var socketPath = directory.File("api.sock");
        using var server = StartDotnet("run", "-config", configPath);
        try
        {
            await WaitUntilHealthyAsync(server, socketPath);

            // Act
            var token = await RunToCompletionAsync("token", "generate", "-socketPath", socketPath);
            var create = await RunToCompletionAsync(
                "entry", "create", "-socketPath", socketPath, "-spiffeID", "spiffe://example.org/e2e/web",
                "-parentID", "spiffe://example.org/e2e/agent", "-selector", "unix:uid:1000");
            var show = await RunToCompletionAsync("entry", "show", "-socketPath", socketPath, "-spiffeID", "spiffe://example.org/e2e/web");

            // Assert
            Assert.That(token.ExitCode, Is.Zero, token.Stderr);
            Assert.That(token.Stdout, Does.Match("^Token: [0-9a-f-]{36}\n"));
            Assert.That(create.ExitCode, Is.Zero, create.Stderr);
            Assert.That(show.ExitCode, Is.Zero, show.Stderr);
            Assert.That(show.Stdout, Does.StartWith("Found 1 entry\nEntry ID                : "));
            Assert.That(show.Stdout, Does.Contain("SPIFFE ID               : spiffe://example.org/e2e/web\n"));
            Assert.That(show.Stdout, Does.Contain("Selector                : unix:uid:1000\n"));
            Assert.That(File.GetUnixFileMode(socketPath) & (UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute), Is.EqualTo(UnixFileMode.None));

            // Act: stop as a service manager would
            using var kill = Process.Start("kill", ["-TERM", server.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            await kill.WaitForExitAsync().WaitAsync(StartupTimeout);
            await server.WaitForExitAsync().WaitAsync(StartupTimeout);

            // Assert
            Assert.That(server.ExitCode, Is.Zero, "run should stop cleanly on SIGTERM");
        }
        finally
        {
            if (!server.HasExited)
            {
                server.Kill(entireProcessTree: true);
                await server.WaitForExitAsync().WaitAsync(StartupTimeout);
            }
        }
    }

    private static string ServerDll()
    {
        // The test assembly lives in <artifacts>/bin/Spiffe.Server.Tests/<configuration>/; the CLI in <artifacts>/bin/Spiffe.Server.Cli/<configuration>/.
        var testDirectory = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var binDirectory = testDirectory.Parent!.Parent!.FullName;
        var dll = Path.Combine(binDirectory, "Spiffe.Server.Cli", testDirectory.Name, "spiffe-server.dll");
        Assert.That(File.Exists(dll), Is.True, "built executable not found at " + dll);
        return dll;
    }

    private static Process StartDotnet(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(ServerDll());
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        return Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
    }

    private static async Task<CliResult> RunToCompletionAsync(params string[] args)
    {
        using var process = StartDotnet(args);
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(StartupTimeout);
        return new CliResult(process.ExitCode, await stdout, await stderr);
    }

    private static async Task WaitUntilHealthyAsync(Process server, string socketPath)
    {
        var deadline = TimeProvider.System.GetUtcNow() + StartupTimeout;
        while (TimeProvider.System.GetUtcNow() < deadline)
        {
            if (server.HasExited)
            {
                Assert.Fail($"the server exited with {server.ExitCode}: {await server.StandardError.ReadToEndAsync()}");
            }

            if (File.Exists(socketPath) && (await CliRunner.RunAsync("healthcheck", "-socketPath", socketPath)).ExitCode == 0)
            {
                return;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200), TimeProvider.System);
        }

        Assert.Fail("the server did not become healthy in time");
    }
}
