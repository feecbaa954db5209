namespace Spiffe.Server.Tests.Cli;

/// <summary>Flag checks that fail before the CLI contacts a server (the socket does not exist).</summary>
[TestFixture]
public sealed class EntryCommandValidationTests
{
    private const string NoSocket = "/nonexistent/spiffe-server-tests/api.sock";

    private static IEnumerable<TestCaseData> InvalidCommandLines()
    {
        yield return new TestCaseData(
            (object)new[] { "entry", "create", "-parentID", "spiffe://example.org/a", "-spiffeID", "spiffe://example.org/w" },
            "Error: at least one selector is required").SetName("Create_NoSelector");
        yield return new TestCaseData(
            (object)new[] { "entry", "create", "-spiffeID", "spiffe://example.org/w", "-selector", "unix:uid:1" },
            "Error: a parent ID is required if the node flag is not set").SetName("Create_NoParent");
        yield return new TestCaseData(
            (object)new[] { "entry", "create", "-parentID", "spiffe://example.org/a", "-selector", "unix:uid:1" },
            "Error: a SPIFFE ID is required").SetName("Create_NoSpiffeId");
        yield return new TestCaseData(
            (object)new[] { "entry", "create", "-node", "-spiffeID", "spiffe://example.org/n", "-selector", "x:y", "-federatesWith", "other.org" },
            "Error: node entries can not federate").SetName("Create_NodeFederates");
        yield return new TestCaseData(
            (object)new[] { "entry", "create", "-parentID", "spiffe://example.org/a", "-spiffeID", "spiffe://example.org/w", "-selector", "unixuid1000" },
            "Error: selector \"unixuid1000\" must be formatted as type:value").SetName("Create_SelectorWithoutColon");
        yield return new TestCaseData(
            (object)new[] { "entry", "create", "-parentID", "spiffe://example.org/a", "-spiffeID", "http://example.org/w", "-selector", "unix:uid:1" },
            "Error: invalid SPIFFE ID").SetName("Create_InvalidSpiffeId");
        yield return new TestCaseData(
            (object)new[] { "entry", "create", "-parentID", "spiffe://example.org/a", "-spiffeID", "spiffe://example.org/w", "-selector", "unix:uid:1", "-x509SVIDTTL", "-5" },
            "Error: a positive x509-SVID TTL is required").SetName("Create_NegativeTtl");
        yield return new TestCaseData(
            (object)new[] { "entry", "update", "-parentID", "spiffe://example.org/a", "-spiffeID", "spiffe://example.org/w", "-selector", "unix:uid:1" },
            "Error: entry ID is required").SetName("Update_NoEntryId");
        yield return new TestCaseData(
            (object)new[] { "entry", "delete" },
            "Error: an entry ID is required").SetName("Delete_NoEntryId");
        yield return new TestCaseData(
            (object)new[] { "entry", "show", "-entryID", "abc", "-spiffeID", "spiffe://example.org/w" },
            "Error: the -entryID flag can't be combined with others").SetName("Show_EntryIdWithFilter");
        yield return new TestCaseData(
            (object)new[] { "entry", "show", "-selector", "unix:uid:1", "-matchSelectorsOn", "most" },
            "Error: match behavior \"most\" unknown").SetName("Show_UnknownMatch");
        yield return new TestCaseData(
            (object)new[] { "agent", "show" },
            "Error: a SPIFFE ID is required").SetName("AgentShow_NoId");
        yield return new TestCaseData(
            (object)new[] { "agent", "list", "-expiresBefore", "tomorrow" },
            "Error: date is not valid").SetName("AgentList_BadDate");
        yield return new TestCaseData(
            (object)new[] { "bundle", "set", "-path", "/dev/null" },
            "Error: id flag is required").SetName("BundleSet_NoId");
        yield return new TestCaseData(
            (object)new[] { "bundle", "delete", "-id", "other.org", "-mode", "cascade" },
            "Error: unsupported mode \"cascade\"").SetName("BundleDelete_BadMode");
        yield return new TestCaseData(
            (object)new[] { "bundle", "show", "-format", "der" },
            "Error: invalid format: \"der\"").SetName("BundleShow_BadFormat");
    }

    [TestCaseSource(nameof(InvalidCommandLines))]
    public async Task Invoke_InvalidFlags_PrintsErrorAndFails(string[] args, string expectedError)
    {
        // Arrange
        var commandLine = args.Concat(["-socketPath", NoSocket]).ToArray();

        // Act
        var result = await CliRunner.RunAsync(commandLine);

        // Assert
        Assert.That(result.ExitCode, Is.Not.Zero);
        Assert.That(result.Stderr, Does.StartWith(expectedError));
        Assert.That(result.Stdout, Is.Empty);
    }

    [Test]
    public async Task Invoke_ServerUnreachable_PrintsRpcErrorAndFails()
    {
        // Act
        var result = await CliRunner.RunAsync("entry", "count", "-socketPath", NoSocket);

        // Assert
        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(result.Stderr, Does.StartWith("Error: rpc error: code = Unavailable desc = "));
    }

    [Test]
    public async Task Invoke_UnknownOutputFormat_FailsToParse()
    {
        // Act
        var result = await CliRunner.RunAsync("entry", "count", "-output", "yaml", "-socketPath", NoSocket);

        // Assert
        Assert.That(result.ExitCode, Is.Not.Zero);
        Assert.That(result.Stderr, Does.Contain("yaml"));
    }
}
