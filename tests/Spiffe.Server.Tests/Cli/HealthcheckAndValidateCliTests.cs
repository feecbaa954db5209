using Spiffe.Server.Tests.Infrastructure;

namespace Spiffe.Server.Tests.Cli;

/// <summary><c>healthcheck</c> against a running and a missing server, and <c>validate</c> on good and bad files.</summary>
[TestFixture]
public sealed class HealthcheckAndValidateCliTests
{
    [Test]
    public async Task Healthcheck_RunningServer_IsHealthy()
    {
        // Arrange
        await using var server = await TestServer.StartAsync();

        // Act
        var result = await CliRunner.RunAsync("healthcheck", "-socketPath", server.SocketPath, "-verbose");

        // Assert
        Assert.That(result.ExitCode, Is.Zero, result.Stderr);
        Assert.That(result.Stdout, Is.EqualTo("Checking server health...\nServer is healthy.\n"));
    }

    [Test]
    public async Task Healthcheck_NoServer_IsUnhealthy()
    {
        // Act
        var result = await CliRunner.RunAsync("healthcheck", "-socketPath", "/nonexistent/spiffe-server/api.sock");

        // Assert
        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(result.Stderr, Is.EqualTo("Server is unhealthy: unable to determine health\n"));
    }

    [Test]
    public async Task Validate_GoodConfig_SaysValid()
    {
        // Arrange
        using var directory = new TempDirectory();
        var path = directory.File("server.conf");
        await File.WriteAllTextAsync(path, ServerConfigFile.Text(directory.Path, 8081));

        // Act
        var result = await CliRunner.RunAsync("validate", "-config", path);

        // Assert
        Assert.That(result.ExitCode, Is.Zero, result.Stderr);
        Assert.That(result.Stdout, Is.EqualTo("SPIFFE server configuration file is valid.\n"));
    }

    [Test]
    public async Task Validate_BadConfig_ListsProblemsAndFails()
    {
        // Arrange
        using var directory = new TempDirectory();
        var path = directory.File("server.conf");
        var text = ServerConfigFile.Text(directory.Path, 8081).Replace("trust_domain = \"example.org\"", "trust_domain = \"Not A Domain\"", StringComparison.Ordinal);
        await File.WriteAllTextAsync(path, text + "\nmystery_block {}\n");

        // Act
        var result = await CliRunner.RunAsync("validate", "-config", path);

        // Assert
        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(result.Stderr, Does.StartWith("SPIFFE server configuration file is invalid:\n"));
        Assert.That(result.Stderr, Does.Contain("trust_domain"));
        Assert.That(result.Stderr, Does.Contain("mystery_block"));
    }

    [Test]
    public async Task Validate_MissingFile_SaysWhyAndFails()
    {
        // Act
        var result = await CliRunner.RunAsync("validate", "-config", "/nonexistent/server.conf");

        // Assert
        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(result.Stderr, Does.StartWith("SPIFFE server configuration file is invalid:\n/nonexistent/server.conf:0:0: cannot read the configuration file: "));
    }
}
