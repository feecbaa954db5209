namespace Spiffe.Configuration.Tests;

[TestFixture]
public sealed class ConfigSectionTests
{
    private static IEnumerable<TestCaseData> Strings()
    {
        yield return new TestCaseData("k = \"v\"", "v");
        yield return new TestCaseData("k = 8081", "8081");
        yield return new TestCaseData("k = true", "true");
        yield return new TestCaseData("k = <<EOF\nmulti\nEOF", "multi\n");
    }

    private static IEnumerable<TestCaseData> ValidPorts()
    {
        yield return new TestCaseData("8081", 8081);
        yield return new TestCaseData("\"8081\"", 8081);
        yield return new TestCaseData("1", 1);
        yield return new TestCaseData("\"65535\"", 65535);
    }

    private static IEnumerable<TestCaseData> InvalidPorts() =>
        new[] { "0", "65536", "-1", "\"abc\"", "\"\"", "\" 8081\"", "1.5", "1e3", "true", "[8081]", "{}", "99999999999999999999" }
            .Select(value => new TestCaseData(value));

    private static IEnumerable<TestCaseData> IntRanges()
    {
        yield return new TestCaseData(int.MinValue, int.MaxValue, "\"n\" must be an integer");
        yield return new TestCaseData(0, int.MaxValue, "\"n\" must be an integer greater than or equal to 0");
        yield return new TestCaseData(int.MinValue, 10, "\"n\" must be an integer between -2147483648 and 10");
    }

    private static IEnumerable<TestCaseData> ValidDurations()
    {
        yield return new TestCaseData("\"1h30m\"", false, TimeSpan.FromMinutes(90));
        yield return new TestCaseData("\"300ms\"", false, TimeSpan.FromMilliseconds(300));
        yield return new TestCaseData("\"0\"", false, TimeSpan.Zero);
        yield return new TestCaseData("300", true, TimeSpan.FromSeconds(300));
        yield return new TestCaseData("\"5m\"", true, TimeSpan.FromMinutes(5));
    }

    private static IEnumerable<TestCaseData> InvalidDurations()
    {
        const string Duration = "\"ttl\" must be a duration such as \"90s\" or \"1h30m\"";
        const string DurationOrSeconds = Duration + ", or a whole number of seconds";
        yield return new TestCaseData("300", false, Duration);
        yield return new TestCaseData("\"300\"", false, Duration);
        yield return new TestCaseData("\"300\"", true, DurationOrSeconds);
        yield return new TestCaseData("\"1d\"", false, Duration);
        yield return new TestCaseData("true", false, Duration);
        yield return new TestCaseData("[\"1h\"]", false, Duration);
        yield return new TestCaseData("1.5", true, DurationOrSeconds);
        yield return new TestCaseData("-5", true, DurationOrSeconds);
        yield return new TestCaseData("\"-5m\"", false, "\"ttl\" must not be negative");
    }

    private static IEnumerable<TestCaseData> LabelledBlockSpellings()
    {
        yield return new TestCaseData("NodeAttestor \"join_token\" { plugin_data { x = \"1\" } }\nNodeAttestor x509pop { plugin_data { x = \"2\" } }");
        yield return new TestCaseData("NodeAttestor { join_token { plugin_data { x = \"1\" } } x509pop { plugin_data = { x = \"2\" } } }");
        yield return new TestCaseData("NodeAttestor = {\n  join_token = { plugin_data = { x = 1 } }\n}\nNodeAttestor \"x509pop\" { plugin_data { x = 2 } }");
        yield return new TestCaseData("{\"NodeAttestor\": {\"join_token\": {\"plugin_data\": {\"x\": \"1\"}}, \"x509pop\": {\"plugin_data\": {\"x\": \"2\"}}}}");
        yield return new TestCaseData("{\"NodeAttestor\": [{\"join_token\": {\"plugin_data\": {\"x\": \"1\"}}}, {\"x509pop\": {\"plugin_data\": {\"x\": \"2\"}}}]}");
        yield return new TestCaseData("{\"NodeAttestor\": {\"join_token\": {\"plugin_data\": {\"x\": 1}}}, \"nodeattestor\": {\"x509pop\": {\"plugin_data\": {\"x\": 2}}}}");
    }

    private static IEnumerable<TestCaseData> InvalidLabelledBlocks()
    {
        yield return new TestCaseData("NodeAttestor = \"join_token\"", "plugins.conf:1: \"NodeAttestor\" must be a labelled block such as NodeAttestor \"name\" { … }");
        yield return new TestCaseData("NodeAttestor = [ 1 ]", "plugins.conf:1: \"NodeAttestor\" must be a labelled block such as NodeAttestor \"name\" { … }");
        yield return new TestCaseData("NodeAttestor {\n  join_token = 1\n}", "plugins.conf:2: \"NodeAttestor\" \"join_token\" must be a block");
    }

    [TestCaseSource(nameof(Strings))]
    public void GetString_Scalar_ReturnsText(string text, string expected)
    {
        // Arrange
        var (root, errors) = Load(text);

        // Act
        var value = root.GetString("k");

        // Assert
        Assert.That(value, Is.EqualTo(expected));
        Assert.That(errors.Items, Is.Empty);
    }

    [TestCase("k = [\"a\"]")]
    [TestCase("k { }")]
    public void GetString_ListOrBlock_ReportsMustBeString(string text)
    {
        // Arrange
        var (root, errors) = Load("\n" + text);

        // Act
        var value = root.GetString("k");

        // Assert
        Assert.That(value, Is.Null);
        Assert.That(Messages(errors), Is.EqualTo(new[] { "agent.conf:2: \"k\" must be a string" }));
    }

    [Test]
    public void GetString_RequiredKeyMissing_ReportsKeyAndBlockLine()
    {
        // Arrange
        var (root, errors) = Load("# agent settings\n\nagent {\n  data_dir = \"/data\"\n}");
        var agent = root.GetSection("agent")!;

        // Act
        var value = agent.GetString("trust_domain", required: true);

        // Assert
        Assert.That(value, Is.Null);
        Assert.That(Messages(errors), Is.EqualTo(new[] { "agent.conf:3: missing required key \"trust_domain\" in block \"agent\"" }));
    }

    [Test]
    public void GetString_OptionalKeyMissing_ReturnsNullWithoutError()
    {
        // Arrange
        var (root, errors) = Load("agent {}");

        // Act
        var value = root.GetSection("agent")!.GetString("log_level");

        // Assert
        Assert.That(value, Is.Null);
        Assert.That(errors.Items, Is.Empty);
    }

    [Test]
    public void GetString_KeyInDifferentCase_MatchesLikeHclV1()
    {
        // Arrange
        var (root, errors) = Load("Agent {\n  Trust_Domain = \"example.org\"\n}");
        var agent = root.GetSection("agent")!;

        // Act
        var value = agent.GetString("trust_domain");
        agent.ReportUnknownKeys("trust_domain");

        // Assert
        Assert.That(value, Is.EqualTo("example.org"));
        Assert.That(agent.Path, Is.EqualTo("Agent"));
        Assert.That(errors.Items, Is.Empty);
    }

    [Test]
    public void GetString_DuplicateKey_ReturnsFirstAndReportsSecondOnce()
    {
        // Arrange
        var (root, errors) = Load("agent {\n  trust_domain = \"a\"\n  trust_domain = \"b\"\n}");
        var agent = root.GetSection("agent")!;

        // Act
        var first = agent.GetString("trust_domain");
        var second = agent.GetString("trust_domain");

        // Assert
        Assert.That(first, Is.EqualTo("a"));
        Assert.That(second, Is.EqualTo("a"));
        Assert.That(Messages(errors), Is.EqualTo(new[] { "agent.conf:3: duplicate key \"trust_domain\" in block \"agent\": already set at line 2" }));
    }

    [TestCaseSource(nameof(ValidPorts))]
    public void GetInt_IntegerOrQuotedIntegerInRange_ReturnsValue(string value, int expected)
    {
        // Arrange
        var (root, errors) = Load($"bind_port = {value}");

        // Act
        var port = root.GetInt("bind_port", 1, 65535);

        // Assert
        Assert.That(port, Is.EqualTo(expected));
        Assert.That(errors.Items, Is.Empty);
    }

    [TestCaseSource(nameof(InvalidPorts))]
    public void GetInt_BadValue_ReportsKeyLineAndRange(string value)
    {
        // Arrange
        var (root, errors) = Load($"server {{\n  trust_domain = \"example.org\"\n  bind_port = {value}\n}}", "server.conf");

        // Act
        var port = root.GetSection("server")!.GetInt("bind_port", 1, 65535);

        // Assert
        Assert.That(port, Is.Null);
        Assert.That(Messages(errors), Is.EqualTo(new[] { "server.conf:3: \"bind_port\" must be an integer between 1 and 65535" }));
    }

    [TestCaseSource(nameof(IntRanges))]
    public void GetInt_OutOfRange_DescribesRange(int min, int max, string expected)
    {
        // Arrange
        var (root, errors) = Load("n = \"x\"");

        // Act
        root.GetInt("n", min, max);

        // Assert
        Assert.That(errors.Items.Single().Message, Is.EqualTo(expected));
    }

    [TestCase("true", true)]
    [TestCase("false", false)]
    public void GetBool_BoolLiteral_ReturnsValue(string value, bool expected)
    {
        // Arrange
        var (root, errors) = Load($"enabled = {value}");

        // Act
        var enabled = root.GetBool("enabled");

        // Assert
        Assert.That(enabled, Is.EqualTo(expected));
        Assert.That(errors.Items, Is.Empty);
    }

    [TestCase("\"true\"")]
    [TestCase("1")]
    [TestCase("{}")]
    public void GetBool_NotBoolLiteral_ReportsTrueOrFalse(string value)
    {
        // Arrange
        var (root, errors) = Load($"enabled = {value}");

        // Act
        var enabled = root.GetBool("enabled", required: true);

        // Assert
        Assert.That(enabled, Is.Null);
        Assert.That(Messages(errors), Is.EqualTo(new[] { "agent.conf:1: \"enabled\" must be true or false" }));
    }

    [TestCaseSource(nameof(ValidDurations))]
    public void GetDuration_ValidValue_ReturnsTimeSpan(string value, bool allowSeconds, TimeSpan expected)
    {
        // Arrange
        var (root, errors) = Load($"ttl = {value}");

        // Act
        var ttl = root.GetDuration("ttl", allowSeconds: allowSeconds);

        // Assert
        Assert.That(ttl, Is.EqualTo(expected));
        Assert.That(errors.Items, Is.Empty);
    }

    [TestCaseSource(nameof(InvalidDurations))]
    public void GetDuration_InvalidValue_ReportsKeyAndLine(string value, bool allowSeconds, string expected)
    {
        // Arrange
        var (root, errors) = Load($"\nttl = {value}");

        // Act
        var ttl = root.GetDuration("ttl", allowSeconds: allowSeconds);

        // Assert
        Assert.That(ttl, Is.Null);
        Assert.That(Messages(errors), Is.EqualTo(new[] { $"agent.conf:2: {expected}" }));
    }

    [Test]
    public void GetDuration_RequiredKeyMissing_ReportsMissingKey()
    {
        // Arrange
        var (root, errors) = Load("a = 1");

        // Act
        var ttl = root.GetDuration("ca_ttl", required: true);

        // Assert
        Assert.That(ttl, Is.Null);
        Assert.That(Messages(errors), Is.EqualTo(new[] { "agent.conf:1: missing required key \"ca_ttl\" at top level" }));
    }

    [Test]
    public void GetStringList_ListOfScalars_ReturnsTexts()
    {
        // Arrange
        var (root, errors) = Load("flags = [\n  \"wit-svid\",\n  8,\n]");

        // Act
        var flags = root.GetStringList("flags");

        // Assert
        Assert.That(flags, Is.EqualTo(new[] { "wit-svid", "8" }));
        Assert.That(errors.Items, Is.Empty);
    }

    [TestCase("flags = \"wit-svid\"", "agent.conf:1: \"flags\" must be a list of strings")]
    [TestCase("flags = [\n  \"a\",\n  { b = 1 },\n]", "agent.conf:3: \"flags\" must be a list of strings")]
    [TestCase("flags = [ [] ]", "agent.conf:1: \"flags\" must be a list of strings")]
    public void GetStringList_NotListOfStrings_ReportsOffendingLine(string text, string expected)
    {
        // Arrange
        var (root, errors) = Load(text);

        // Act
        var flags = root.GetStringList("flags");

        // Assert
        Assert.That(flags, Is.Null);
        Assert.That(Messages(errors), Is.EqualTo(new[] { expected }));
    }

    [Test]
    public void GetStringList_RequiredKeyMissing_ReportsMissingKey()
    {
        // Arrange
        var (root, errors) = Load("agent {}");

        // Act
        var flags = root.GetSection("agent")!.GetStringList("feature_flags", required: true);

        // Assert
        Assert.That(flags, Is.Null);
        Assert.That(Messages(errors), Is.EqualTo(new[] { "agent.conf:1: missing required key \"feature_flags\" in block \"agent\"" }));
    }

    [Test]
    public void GetSection_RequiredBlockMissing_ReportsAtFileStart()
    {
        // Arrange
        var (root, errors) = Load("\n\nplugins {}", "server.conf");

        // Act
        var server = root.GetSection("server", required: true);

        // Assert
        Assert.That(server, Is.Null);
        Assert.That(Messages(errors), Is.EqualTo(new[] { "server.conf:1: missing required block \"server\" at top level" }));
    }

    [Test]
    public void GetSection_NotABlock_ReportsMustBeBlock()
    {
        // Arrange
        var (root, errors) = Load("server = \"x\"", "server.conf");

        // Act
        var server = root.GetSection("server");

        // Assert
        Assert.That(server, Is.Null);
        Assert.That(Messages(errors), Is.EqualTo(new[] { "server.conf:1: \"server\" must be a block" }));
    }

    [Test]
    public void GetSection_NestedBlocks_BuildDottedPathAndLocation()
    {
        // Arrange
        var (root, _) = Load("server {\n  experimental {\n    ratelimit { }\n  }\n}");

        // Act
        var ratelimit = root.GetSection("server")!.GetSection("experimental")!.GetSection("ratelimit")!;

        // Assert
        Assert.That(ratelimit.Path, Is.EqualTo("server.experimental.ratelimit"));
        Assert.That(ratelimit.Location, Is.EqualTo(new ConfigLocation("agent.conf", 3, 5)));
    }

    [TestCaseSource(nameof(LabelledBlockSpellings))]
    public void GetLabelledBlocks_AnySpelling_ReturnsBlocksInOrder(string text)
    {
        // Arrange
        var errors = new ConfigErrors();
        var root = ConfigSection.Root(ConfigFile.Parse(text, "plugins.conf"), errors);

        // Act
        var blocks = root.GetLabelledBlocks("NodeAttestor");

        // Assert
        Assert.That(blocks.Select(b => b.Label), Is.EqualTo(new[] { "join_token", "x509pop" }));
        Assert.That(blocks.Select(b => b.Body.GetSection("plugin_data")!.GetString("x")), Is.EqualTo(new[] { "1", "2" }));
        Assert.That(errors.Items, Is.Empty);
    }

    [Test]
    public void GetLabelledBlocks_Block_BodyLocatedAtLabelWithPluginPath()
    {
        // Arrange
        var (root, _) = Load("plugins {\n    NodeAttestor \"x509pop\" {\n    }\n}");

        // Act
        var block = root.GetSection("plugins")!.GetLabelledBlocks("NodeAttestor").Single();

        // Assert
        Assert.That(block.Type, Is.EqualTo("NodeAttestor"));
        Assert.That(block.Body.Location, Is.EqualTo(new ConfigLocation("agent.conf", 2, 18)));
        Assert.That(block.Body.Path, Is.EqualTo("plugins.NodeAttestor.x509pop"));
    }

    [Test]
    public void GetLabelledBlocks_TypeAbsent_ReturnsEmpty()
    {
        // Arrange
        var (root, errors) = Load("KeyManager \"disk\" {}");

        // Act
        var blocks = root.GetLabelledBlocks("NodeAttestor");

        // Assert
        Assert.That(blocks, Is.Empty);
        Assert.That(errors.Items, Is.Empty);
    }

    [TestCaseSource(nameof(InvalidLabelledBlocks))]
    public void GetLabelledBlocks_NotABlock_ReportsTypeAndLine(string text, string expected)
    {
        // Arrange
        var errors = new ConfigErrors();
        var root = ConfigSection.Root(ConfigFile.Parse(text, "plugins.conf"), errors);

        // Act
        var blocks = root.GetLabelledBlocks("NodeAttestor");

        // Assert
        Assert.That(blocks, Is.Empty);
        Assert.That(Messages(errors), Is.EqualTo(new[] { expected }));
    }

    [Test]
    public void ReportUnknownKeys_MisspelledKey_ReportsKeyBlockAndLine()
    {
        // Arrange
        const string text = """
            agent {
                data_dir = "/opt/spire/data/agent"
                log_level = "DEBUG"
                server_address = "spire-server"
                server_port = "8081"
                socket_path = "/tmp/spire-agent/public/api.sock"
                trust_domian = "example.org"
            }
            """;
        var (root, errors) = Load(text);

        // Act
        root.GetSection("agent")!.ReportUnknownKeys("data_dir", "log_level", "server_address", "server_port", "socket_path", "trust_domain");

        // Assert
        Assert.That(Messages(errors), Is.EqualTo(new[] { "agent.conf:7: unknown key \"trust_domian\" in block \"agent\"" }));
    }

    [Test]
    public void ReportUnknownKeys_TopLevelAndNested_ReportEveryUnknownKeyWithPath()
    {
        // Arrange
        const string text = "agnet {}\nplugins {\n  NodeAttestor \"x509pop\" {\n    plugin_dta {}\n  }\n}";
        var (root, errors) = Load(text);
        string[] pluginKeys = ["plugin_cmd", "plugin_checksum", "enabled", "plugin_data", "plugin_data_file"];

        // Act
        root.ReportUnknownKeys("agent", "plugins");
        foreach (var block in root.GetSection("plugins")!.GetLabelledBlocks("NodeAttestor"))
        {
            block.Body.ReportUnknownKeys(pluginKeys);
        }

        // Assert
        Assert.That(Messages(errors), Is.EqualTo(new[]
        {
            "agent.conf:1: unknown key \"agnet\" at top level",
            "agent.conf:4: unknown key \"plugin_dta\" in block \"plugins.NodeAttestor.x509pop\"",
        }));
    }

    [TestCase("join_token_file", 3)]
    [TestCase(null, 1)]
    [TestCase("absent", 1)]
    public void ReportError_LoaderRule_ReportsAtKeyOrSectionLine(string? key, int expectedLine)
    {
        // Arrange
        var (root, errors) = Load("agent {\n  join_token = \"t\"\n  join_token_file = \"f\"\n}");

        // Act
        root.GetSection("agent")!.ReportError("\"join_token\" and \"join_token_file\" are mutually exclusive", key);

        // Assert
        Assert.That(Messages(errors), Is.EqualTo(new[] { $"agent.conf:{expectedLine}: \"join_token\" and \"join_token_file\" are mutually exclusive" }));
    }

    [Test]
    public void ThrowIfAny_SeveralProblems_ThrowsOnceListingAllInLineOrder()
    {
        // Arrange
        const string text = """
            server {
                bind_port = "80801"
                ca_ttl = "1 day"
                trust_domian = "example.org"
            }
            """;
        var (root, errors) = Load(text, "server.conf");
        var server = root.GetSection("server", required: true)!;
        server.ReportUnknownKeys("bind_port", "ca_ttl", "trust_domain");
        server.GetString("trust_domain", required: true);
        server.GetDuration("ca_ttl");
        server.GetInt("bind_port", 1, 65535);

        // Act
        var exception = Assert.Throws<ConfigException>(errors.ThrowIfAny);

        // Assert
        Assert.That(exception.Message, Is.EqualTo(
            "server.conf:1: missing required key \"trust_domain\" in block \"server\"\n"
            + "server.conf:2: \"bind_port\" must be an integer between 1 and 65535\n"
            + "server.conf:3: \"ca_ttl\" must be a duration such as \"90s\" or \"1h30m\"\n"
            + "server.conf:4: unknown key \"trust_domian\" in block \"server\""));
        Assert.That(exception.Errors, Has.Count.EqualTo(4));
    }

    [Test]
    public void ThrowIfAny_NoErrors_DoesNotThrow()
    {
        // Arrange
        var (root, errors) = Load("server { bind_port = 8081 }");
        root.GetSection("server")!.GetInt("bind_port", 1, 65535);

        // Act / Assert
        Assert.That(errors.ThrowIfAny, Throws.Nothing);
    }

    [Test]
    public void LoaderPattern_ServerBlock_ReadsRequiredAndOptionalKeys()
    {
        // Arrange
        var errors = new ConfigErrors();
        var root = ConfigSection.Root(ConfigFile.Load(TestPaths.Fixture("release-server-server.conf")), errors);

        // Act
        var server = root.GetSection("server", required: true);
        var trustDomain = server?.GetString("trust_domain", required: true);
        var bindPort = server?.GetInt("bind_port", 1, 65535) ?? 8081;
        var caTtl = server?.GetDuration("ca_ttl") ?? TimeSpan.FromHours(24);
        server?.ReportUnknownKeys("bind_address", "bind_port", "socket_path", "trust_domain", "data_dir", "log_level", "ca_ttl");
        var dataStores = root.GetSection("plugins", required: true)?.GetLabelledBlocks("DataStore");

        // Assert
        Assert.That(errors.ThrowIfAny, Throws.Nothing);
        Assert.That(trustDomain, Is.EqualTo("example.org"));
        Assert.That(bindPort, Is.EqualTo(8081));
        Assert.That(caTtl, Is.EqualTo(TimeSpan.FromHours(24)));
        Assert.That(dataStores!.Single().Body.GetSection("plugin_data")!.GetString("database_type"), Is.EqualTo("sqlite3"));
    }

    private static (ConfigSection Root, ConfigErrors Errors) Load(string text, string file = "agent.conf")
    {
        var errors = new ConfigErrors();
        return (ConfigSection.Root(HclParser.Parse(text, file), errors), errors);
    }

    private static IEnumerable<string> Messages(ConfigErrors errors) => errors.Items.Select(e => e.ToString());
}
