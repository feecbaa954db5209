using System.Text.Json;
using Spiffe.Server.Tests.Infrastructure;

namespace Spiffe.Server.Tests.Cli;

/// <summary><c>entry create|show|update|delete|count</c> against a running server.</summary>
[TestFixture]
public sealed class EntryCliTests
{
    private TestServer server = null!;

    [OneTimeSetUp]
    public async Task StartServer() => this.server = await TestServer.StartAsync();

    [OneTimeTearDown]
    public async Task StopServer() => await this.server.DisposeAsync();

    [Test]
    public async Task Create_ThenShowById_PrintsSpireLayout()
    {
        // Act
        var created = await this.RunAsync(
            "entry", "create", "-spiffeID", "spiffe://example.org/cli/web", "-parentID", "spiffe://example.org/cli/agent",
            "-selector", "unix:uid:1000", "-selector", "unix:gid:1000", "-x509SVIDTTL", "3600", "-dns", "web.example.org", "-hint", "web");
        var id = EntryId(created.Stdout);
        var shown = await this.RunAsync("entry", "show", "-entryID", id);

        // Assert
        Assert.That(created.ExitCode, Is.Zero, created.Stderr);
        Assert.That(shown.ExitCode, Is.Zero, shown.Stderr);
        Assert.That(shown.Stdout, Is.EqualTo(
            "Found 1 entry\n" +
            $"Entry ID                : {id}\n" +
            "SPIFFE ID               : spiffe://example.org/cli/web\n" +
            "Parent ID               : spiffe://example.org/cli/agent\n" +
            "Revision                : 0\n" +
            "X509-SVID TTL           : 3600\n" +
            "JWT-SVID TTL            : default\n" +
            "Selector                : unix:gid:1000\n" +
            "Selector                : unix:uid:1000\n" +
            "DNS name                : web.example.org\n" +
            "Hint                    : web\n" +
            "\n"));
        Assert.That(created.Stdout, Is.EqualTo(shown.Stdout["Found 1 entry\n".Length..]));
    }

    [Test]
    public async Task Create_Node_ParentIsTheServer()
    {
        // Act
        var result = await this.RunAsync("entry", "create", "-node", "-spiffeID", "spiffe://example.org/cli/nodes", "-selector", "join_token:abc");

        // Assert
        Assert.That(result.ExitCode, Is.Zero, result.Stderr);
        Assert.That(result.Stdout, Does.Contain("Parent ID               : spiffe://example.org/spire/server\n"));
    }

    [Test]
    public async Task Create_Duplicate_ReportsAlreadyExistsAndFails()
    {
        // Arrange
        string[] args = ["entry", "create", "-spiffeID", "spiffe://example.org/cli/dup", "-parentID", "spiffe://example.org/cli/agent", "-selector", "unix:uid:7"];
        await this.RunAsync(args);

        // Act
        var result = await this.RunAsync(args);

        // Assert
        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(result.Stdout, Is.Empty);
        Assert.That(result.Stderr, Does.StartWith(
            "Failed to create the following entry (code: AlreadyExists, msg: \"similar entry already exists\"):\n" +
            "Entry ID                : (none)\n" +
            "SPIFFE ID               : spiffe://example.org/cli/dup\n"));
        Assert.That(result.Stderr, Does.EndWith("Error: failed to create one or more entries\n"));
    }

    [Test]
    public async Task Create_InvalidSpiffeIdOrForeignTrustDomain_FailsAndStoresNothing()
    {
        // Arrange
        var before = await this.CountAsync();

        // Act
        var malformed = await this.RunAsync("entry", "create", "-spiffeID", "spiffe://example.org/a//b", "-parentID", "spiffe://example.org/cli/agent", "-selector", "unix:uid:1");
        var foreign = await this.RunAsync("entry", "create", "-spiffeID", "spiffe://other.org/w", "-parentID", "spiffe://example.org/cli/agent", "-selector", "unix:uid:1");
        var noColon = await this.RunAsync("entry", "create", "-spiffeID", "spiffe://example.org/cli/nocolon", "-parentID", "spiffe://example.org/cli/agent", "-selector", "unix");
        var missing = await this.RunAsync("entry", "create", "-selector", "unix:uid:1");

        // Assert
        Assert.That(new[] { malformed, foreign, noColon, missing }.Select(r => r.ExitCode), Is.All.EqualTo(1));
        Assert.That(malformed.Stderr, Does.StartWith("Error: invalid SPIFFE ID"));
        Assert.That(foreign.Stderr, Does.StartWith(
            "Failed to create the following entry (code: InvalidArgument, msg: \"failed to convert entry: invalid spiffe ID: \\\"spiffe://other.org/w\\\" is not a member of trust domain \\\"example.org\\\"\"):"));
        Assert.That(noColon.Stderr, Is.EqualTo("Error: selector \"unix\" must be formatted as type:value\n"));
        Assert.That(missing.Stderr, Is.EqualTo("Error: a parent ID is required if the node flag is not set\n"));
        Assert.That(await this.CountAsync(), Is.EqualTo(before));
    }

    [Test]
    public async Task Update_ChangesFieldsAndBumpsRevision()
    {
        // Arrange
        var id = EntryId((await this.RunAsync("entry", "create", "-spiffeID", "spiffe://example.org/cli/upd", "-parentID", "spiffe://example.org/cli/agent", "-selector", "unix:uid:1", "-hint", "keep-not")).Stdout);

        // Act
        var result = await this.RunAsync(
            "entry", "update", "-entryID", id, "-spiffeID", "spiffe://example.org/cli/upd", "-parentID", "spiffe://example.org/cli/agent2",
            "-selector", "unix:uid:2", "-jwtSVIDTTL", "120", "-jwtSVIDIncludeJTI");

        // Assert
        Assert.That(result.ExitCode, Is.Zero, result.Stderr);
        Assert.That(result.Stdout, Does.Contain("Revision                : 1\n"));
        Assert.That(result.Stdout, Does.Contain("Parent ID               : spiffe://example.org/cli/agent2\n"));
        Assert.That(result.Stdout, Does.Contain("Selector                : unix:uid:2\n"));
        Assert.That(result.Stdout, Does.Contain("JWT-SVID TTL            : 120\n"));
        Assert.That(result.Stdout, Does.Contain("JwtSvidIncludeJti       : true\n"));
        Assert.That(result.Stdout, Does.Not.Contain("Hint"));
    }

    [Test]
    public async Task Update_UnknownEntry_ReportsNotFoundAndFails()
    {
        // Act
        var result = await this.RunAsync("entry", "update", "-entryID", "missing-entry", "-spiffeID", "spiffe://example.org/cli/x", "-parentID", "spiffe://example.org/cli/agent", "-selector", "unix:uid:1");

        // Assert
        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(result.Stderr, Does.StartWith("Failed to update the following entry (code: NotFound, msg: \"entry not found\"):\n"));
    }

    [Test]
    public async Task Delete_ExistingEntry_RemovesIt()
    {
        // Arrange
        var id = EntryId((await this.RunAsync("entry", "create", "-spiffeID", "spiffe://example.org/cli/del", "-parentID", "spiffe://example.org/cli/agent", "-selector", "unix:uid:1")).Stdout);

        // Act
        var deleted = await this.RunAsync("entry", "delete", "-entryID", id);
        var again = await this.RunAsync("entry", "delete", "-entryID", id);
        var shown = await this.RunAsync("entry", "show", "-entryID", id);

        // Assert
        Assert.That(deleted.ExitCode, Is.Zero, deleted.Stderr);
        Assert.That(deleted.Stdout, Is.EqualTo($"Deleted entry with ID: {id}\n\n\nDeleted 1 entries successfully\n"));
        Assert.That(again.ExitCode, Is.EqualTo(1));
        Assert.That(again.Stderr, Does.StartWith($"Failed to delete entry with ID {id} (code: NotFound, msg: \"entry not found\")\n"));
        Assert.That(shown.ExitCode, Is.EqualTo(1));
        Assert.That(shown.Stderr, Is.EqualTo($"Error: error fetching entry ID {id}: rpc error: code = NotFound desc = entry not found\n"));
    }

    [Test]
    public async Task ShowAndCount_Filters_SelectMatchingEntries()
    {
        // Arrange
        const string parent = "spiffe://example.org/cli/filter-agent";
        await this.RunAsync("entry", "create", "-spiffeID", "spiffe://example.org/cli/f1", "-parentID", parent, "-selector", "unix:uid:1", "-selector", "unix:gid:1", "-federatesWith", "spiffe://fed.org");
        await this.RunAsync("entry", "create", "-spiffeID", "spiffe://example.org/cli/f2", "-parentID", parent, "-selector", "unix:uid:1", "-hint", "two");
        await this.RunAsync("entry", "create", "-spiffeID", "spiffe://example.org/cli/f3", "-parentID", parent, "-selector", "unix:uid:3", "-downstream");

        // Act
        var all = await this.RunAsync("entry", "show", "-parentID", parent);
        var superset = await this.RunAsync("entry", "show", "-parentID", parent, "-selector", "unix:uid:1");
        var exact = await this.RunAsync("entry", "show", "-parentID", parent, "-selector", "unix:uid:1", "-matchSelectorsOn", "exact");
        var any = await this.RunAsync("entry", "count", "-parentID", parent, "-selector", "unix:gid:1", "-selector", "unix:uid:3", "-matchSelectorsOn", "any");
        var federated = await this.RunAsync("entry", "show", "-parentID", parent, "-federatesWith", "fed.org");
        var hinted = await this.RunAsync("entry", "count", "-parentID", parent, "-hint", "two");
        var downstream = await this.RunAsync("entry", "show", "-parentID", parent, "-downstream");

        // Assert
        Assert.That(SpiffeIds(all.Stdout), Is.EqualTo(new[] { "spiffe://example.org/cli/f1", "spiffe://example.org/cli/f2", "spiffe://example.org/cli/f3" }));
        Assert.That(all.Stdout, Does.StartWith("Found 3 entries\n"));
        Assert.That(SpiffeIds(superset.Stdout), Is.EqualTo(new[] { "spiffe://example.org/cli/f1", "spiffe://example.org/cli/f2" }));
        Assert.That(SpiffeIds(exact.Stdout), Is.EqualTo(new[] { "spiffe://example.org/cli/f2" }));
        Assert.That(any.Stdout, Is.EqualTo("2 registration entries\n"));
        Assert.That(SpiffeIds(federated.Stdout), Is.EqualTo(new[] { "spiffe://example.org/cli/f1" }));
        Assert.That(hinted.Stdout, Is.EqualTo("1 registration entry\n"));
        Assert.That(SpiffeIds(downstream.Stdout), Is.EqualTo(new[] { "spiffe://example.org/cli/f3" }));
    }

    [Test]
    public async Task Create_DataFromStdin_CreatesEveryEntry()
    {
        // Arrange
        const string json = """
            {"entries":[
              {"spiffe_id":"spiffe://example.org/cli/data1","parent_id":"spiffe://example.org/cli/data-agent","selectors":[{"type":"unix","value":"uid:1"}]},
              {"spiffe_id":"spiffe://example.org/cli/data2","parent_id":"spiffe://example.org/cli/data-agent","selectors":[{"type":"unix","value":"uid:2"}],"admin":true}
            ]}
            """;

        // Act
        var result = await CliRunner.RunWithInputAsync(json, "entry", "create", "-data", "-", "-socketPath", this.server.SocketPath);
        var count = await this.RunAsync("entry", "count", "-parentID", "spiffe://example.org/cli/data-agent");

        // Assert
        Assert.That(result.ExitCode, Is.Zero, result.Stderr);
        Assert.That(SpiffeIds(result.Stdout), Is.EqualTo(new[] { "spiffe://example.org/cli/data1", "spiffe://example.org/cli/data2" }));
        Assert.That(result.Stdout, Does.Contain("Admin                   : true\n"));
        Assert.That(count.Stdout, Is.EqualTo("2 registration entries\n"));
    }

    [Test]
    public async Task Show_JsonOutput_IsTheListEntriesResponse()
    {
        // Arrange
        await this.RunAsync("entry", "create", "-spiffeID", "spiffe://example.org/cli/json", "-parentID", "spiffe://example.org/cli/json-agent", "-selector", "unix:uid:1");

        // Act
        var result = await this.RunAsync("entry", "show", "-parentID", "spiffe://example.org/cli/json-agent", "-output", "json");

        // Assert
        Assert.That(result.ExitCode, Is.Zero, result.Stderr);
        using var document = JsonDocument.Parse(result.Stdout);
        var entry = document.RootElement.GetProperty("entries")[0];
        Assert.That(entry.GetProperty("spiffe_id").GetProperty("path").GetString(), Is.EqualTo("/cli/json"));
        Assert.That(entry.GetProperty("selectors")[0].GetProperty("value").GetString(), Is.EqualTo("uid:1"));
        Assert.That(entry.GetProperty("revision_number").GetString(), Is.EqualTo("0"));
        Assert.That(document.RootElement.GetProperty("next_page_token").GetString(), Is.Empty);
    }

    private static string EntryId(string prettyOutput)
    {
        var line = prettyOutput.Split('\n').First(l => l.StartsWith("Entry ID", StringComparison.Ordinal));
        return line[(line.IndexOf(": ", StringComparison.Ordinal) + 2)..];
    }

    private static List<string> SpiffeIds(string prettyOutput) =>
        prettyOutput.Split('\n')
            .Where(l => l.StartsWith("SPIFFE ID", StringComparison.Ordinal))
            .Select(l => l[(l.IndexOf(": ", StringComparison.Ordinal) + 2)..])
            .ToList();

    private Task<CliResult> RunAsync(params string[] args) => CliRunner.RunAsync([.. args, "-socketPath", this.server.SocketPath]);

    private async Task<int> CountAsync()
    {
        var result = await this.RunAsync("entry", "count", "-output", "json");
        using var document = JsonDocument.Parse(result.Stdout);
        return document.RootElement.GetProperty("count").GetInt32();
    }
}
