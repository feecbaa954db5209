using Spiffe.Server.Tests.Infrastructure;

namespace Spiffe.Server.Tests.Cli;

/// <summary><c>run</c> in-process: serves until cancelled, then stops cleanly; refuses a bad configuration.</summary>
[TestFixture]
public sealed class RunCommandTests
{
    [Test]
    public async Task Run_UntilCancelled_ServesThenStopsWithExitCodeZero()
    {
        // Arrange
        using var directory = new TempDirectory();
        var configPath = directory.File("server.conf");
        await File.WriteAllTextAsync(configPath, ServerConfigFile.Text(directory.Path, 0));
        using var stop = new CancellationTokenSource();

        // Act
        var run = CliRunner.RunAsync(string.Empty, stop.Token, "run", "-config", configPath);
        var healthy = await WaitUntilHealthyAsync(directory.File("api.sock"), run);
        await stop.CancelAsync();
        var result = await run;

        // Assert
        Assert.That(healthy, Is.True, "the server never answered the health check");
        Assert.That(result.ExitCode, Is.Zero, result.Stderr);
    }

    [Test]
    public async Task Run_FlagOverridesBadValue_FailsWithStartupError()
    {
        // Arrange
        using var directory = new TempDirectory();
        var configPath = directory.File("server.conf");
        await File.WriteAllTextAsync(configPath, ServerConfigFile.Text(directory.Path, 0));

        // Act
        var result = await CliRunner.RunAsync("run", "-config", configPath, "-trustDomain", "Bad Domain", "-serverPort", "70000");

        // Assert
        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Stderr, Does.StartWith("Error: invalid configuration:\n"));
        Assert.That(result.Stderr, Does.Contain("-trustDomain: invalid trust domain \"Bad Domain\""));
        Assert.That(result.Stderr, Does.Contain("-serverPort: 70000 is not a port number"));
    }

    private static async Task<bool> WaitUntilHealthyAsync(string socketPath, Task<CliResult> run)
    {
        var deadline = TimeProvider.System.GetUtcNow() + CliRunner.Timeout;
        while (TimeProvider.System.GetUtcNow() < deadline && !run.IsCompleted)
        {
            if (File.Exists(socketPath) && (await CliRunner.RunAsync("healthcheck", "-socketPath", socketPath)).ExitCode == 0)
            {
                return true;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), TimeProvider.System);
        }

        return false;
    }
}
