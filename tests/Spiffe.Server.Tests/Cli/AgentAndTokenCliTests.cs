using System.Text.Json;
using Spiffe.Server.Tests.Infrastructure;

namespace Spiffe.Server.Tests.Cli;

/// <summary><c>token generate</c> and <c>agent list|show|count|evict|ban</c> against a running server.</summary>
[TestFixture]
public sealed class AgentAndTokenCliTests
{
    private TestServer server = null!;

    [OneTimeSetUp]
    public async Task StartServer() => this.server = await TestServer.StartAsync();

    [OneTimeTearDown]
    public async Task StopServer() => await this.server.DisposeAsync();

    [Test]
    public async Task TokenGenerate_Default_PrintsTokenValidFor600Seconds()
    {
        // Arrange
        var before = TimeProvider.System.GetUtcNow().ToUnixTimeSeconds();

        // Act
        var result = await this.RunAsync("token", "generate");

        // Assert
        Assert.That(result.ExitCode, Is.Zero, result.Stderr);
        var lines = result.Stdout.Split('\n');
        Assert.That(lines[0], Does.StartWith("Token: "));
        Assert.That(lines[1], Is.EqualTo("Warning: Missing SPIFFE ID."));
        var stored = await this.server.DataStore.GetJoinTokenAsync(lines[0]["Token: ".Length..], CancellationToken.None);
        Assert.That(stored, Is.Not.Null);
        Assert.That(stored!.ExpiresAt, Is.InRange(before + 600, TimeProvider.System.GetUtcNow().ToUnixTimeSeconds() + 600));
    }

    [Test]
    public async Task TokenGenerate_TtlAndSpiffeId_JsonHasExpiryAndAliasEntryExists()
    {
        // Arrange
        var before = TimeProvider.System.GetUtcNow().ToUnixTimeSeconds();

        // Act
        var result = await this.RunAsync("token", "generate", "-ttl", "30", "-spiffeID", "spiffe://example.org/cli/node-alias", "-output", "json");

        // Assert
        Assert.That(result.ExitCode, Is.Zero, result.Stderr);
        using var document = JsonDocument.Parse(result.Stdout);
        var value = document.RootElement.GetProperty("value").GetString();
        var expiresAt = long.Parse(document.RootElement.GetProperty("expires_at").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.That(expiresAt, Is.InRange(before + 30, TimeProvider.System.GetUtcNow().ToUnixTimeSeconds() + 30));
        var alias = await this.RunAsync("entry", "show", "-spiffeID", "spiffe://example.org/cli/node-alias");
        Assert.That(alias.Stdout, Does.Contain($"Parent ID               : spiffe://example.org/spire/agent/join_token/{value}\n"));
        Assert.That(alias.Stdout, Does.Contain($"Selector                : spiffe_id:spiffe://example.org/spire/agent/join_token/{value}\n"));
    }

    [Test]
    public async Task AgentCommands_AfterJoinTokenAttestation_ListShowCountEvictBan()
    {
        // Arrange
        var first = await this.AttestAsync();
        var second = await this.AttestAsync();

        // Act / Assert: list and show
        var list = await this.RunAsync("agent", "list", "-attestationType", "join_token");
        Assert.That(list.ExitCode, Is.Zero, list.Stderr);
        Assert.That(list.Stdout, Does.StartWith("Found "));
        Assert.That(list.Stdout, Does.Contain($"SPIFFE ID         : {first}\nAttestation type  : join_token\nExpiration time   : "));
        var show = await this.RunAsync("agent", "show", "-spiffeID", first);
        Assert.That(show.Stdout, Does.StartWith($"Found an attested agent given its SPIFFE ID\n\nSPIFFE ID         : {first}\n"));
        Assert.That(show.Stdout, Does.Contain("Serial number     : "));
        Assert.That(show.Stdout, Does.Contain("Can re-attest     : false\n"));

        // Act / Assert: ban the first, evict the second
        var ban = await this.RunAsync("agent", "ban", "-spiffeID", first);
        Assert.That(ban.Stdout, Is.EqualTo("Agent banned successfully\n"));
        var banned = await this.RunAsync("agent", "show", "-spiffeID", first);
        Assert.That(banned.Stdout, Does.Contain("Banned            : true\n"));
        var bannedList = await this.RunAsync("agent", "list", "-banned", "true");
        Assert.That(bannedList.Stdout, Does.Contain(first).And.Not.Contain(second));
        var evict = await this.RunAsync("agent", "evict", "-spiffeID", second);
        Assert.That(evict.Stdout, Is.EqualTo("Agent evicted successfully\n"));
        var gone = await this.RunAsync("agent", "show", "-spiffeID", second);
        Assert.That(gone.ExitCode, Is.EqualTo(1));
        Assert.That(gone.Stderr, Is.EqualTo("Error: rpc error: code = NotFound desc = agent not found\n"));
        var count = await this.RunAsync("agent", "count", "-banned", "true");
        Assert.That(count.Stdout, Does.EndWith(" attested agent\n").Or.EndWith(" attested agents\n"));
        Assert.That(count.Stdout, Is.Not.EqualTo("0 attested agents\n"));
    }

    [Test]
    public async Task AgentShow_InvalidSpiffeId_FailsBeforeCallingTheServer()
    {
        // Act
        var result = await this.RunAsync("agent", "show", "-spiffeID", "example.org/spire/agent/x");

        // Assert
        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(result.Stderr, Does.StartWith("Error: invalid SPIFFE ID"));
    }

    private Task<CliResult> RunAsync(params string[] args) => CliRunner.RunAsync([.. args, "-socketPath", this.server.SocketPath]);

    private async Task<string> AttestAsync()
    {
        var token = (await this.RunAsync("token", "generate")).Stdout.Split('\n')[0]["Token: ".Length..];
        var agent = new TestAgent(this.server, await this.server.GetTrustAnchorsAsync());
        await agent.AttestJoinTokenAsync(token);
        return agent.Id.ToString();
    }
}
