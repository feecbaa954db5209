namespace Spiffe.Configuration.Tests;

[TestFixture]
public sealed class JsonConfigParserTests
{
    private static IEnumerable<TestCaseData> Equivalents()
    {
        yield return new TestCaseData("{\"a\": \"x\", \"n\": 8081, \"f\": 1.5, \"t\": true, \"u\": false}", "a = \"x\"\nn = 8081\nf = 1.5\nt = true\nu = false");
        yield return new TestCaseData("{\"s\": \"tab\\t quote\\\" \\u00e9\"}", "s = \"tab\\t quote\\\" \\u00e9\"");
        yield return new TestCaseData("{\"l\": [\"a\", 2, [], {\"k\": \"v\"}]}", "l = [\"a\", 2, [], { k = \"v\" }]");
        yield return new TestCaseData("{\"server\": {\"experimental\": {}}}", "server { experimental {} }");
        yield return new TestCaseData("{\"p\": {\"NodeAttestor\": {\"join_token\": {\"plugin_data\": {}}}}}", "p { NodeAttestor \"join_token\" { plugin_data = {} } }");
        yield return new TestCaseData("{\"a\": 1, \"a\": 2}", "a = 1\na = 2");
        yield return new TestCaseData("{}", string.Empty);
    }

    private static IEnumerable<TestCaseData> Errors()
    {
        yield return new TestCaseData("{\"a\": null}", "server.json:1:7: null is not a valid configuration value; leave the key out instead");
        yield return new TestCaseData("[1]", "server.json:1:1: expected '{': a JSON configuration must be an object");
        yield return new TestCaseData("\"text\"", "server.json:1:1: expected '{': a JSON configuration must be an object");
    }

    private static IEnumerable<TestCaseData> InvalidJson()
    {
        yield return new TestCaseData("{\n  \"a\": 1,\n}", 3, 1);
        yield return new TestCaseData("{\n  \"a\": 1\n  \"b\": 2\n}", 3, 3);
        yield return new TestCaseData("{\"a\": 1} {}", 1, 10);
        yield return new TestCaseData("{\"a\": 1", 1, 8);
        yield return new TestCaseData("{\n  // comment\n  \"a\": 1\n}", 2, 3);
    }

    [TestCaseSource(nameof(Equivalents))]
    public void Parse_Json_GivesSameTreeAsHcl(string json, string hcl)
    {
        // Act
        var fromJson = JsonConfigParser.Parse(json, "a.json");
        var fromHcl = HclParser.Parse(hcl, "a.conf");

        // Assert
        Assert.That(ConfigTreePrinter.Print(fromJson), Is.EqualTo(ConfigTreePrinter.Print(fromHcl)));
    }

    [Test]
    public void Parse_Json_NodesCarryLineAndCharacterColumn()
    {
        // Arrange
        const string json = "{\n  \"caf\u00e9\": \"\u00e9\", \"server\": {\n    \"bind_port\": [8081]\n  }\n}";

        // Act
        var root = JsonConfigParser.Parse(json, "server.json");

        // Assert
        var cafe = root.Entries[0];
        var server = root.Entries[1];
        var bindPort = ((ConfigObject)server.Value).Entries.Single();
        var list = (ConfigList)bindPort.Value;
        Assert.That(root.Location, Is.EqualTo(new ConfigLocation("server.json", 1, 1)));
        Assert.That(cafe.Location, Is.EqualTo(new ConfigLocation("server.json", 2, 3)));
        Assert.That(cafe.Value.Location, Is.EqualTo(new ConfigLocation("server.json", 2, 11)));
        Assert.That(server.Location, Is.EqualTo(new ConfigLocation("server.json", 2, 16)));
        Assert.That(server.Value.Location, Is.EqualTo(new ConfigLocation("server.json", 2, 26)));
        Assert.That(bindPort.Location, Is.EqualTo(new ConfigLocation("server.json", 3, 5)));
        Assert.That(list.Location, Is.EqualTo(new ConfigLocation("server.json", 3, 18)));
        Assert.That(list.Items[0].Location, Is.EqualTo(new ConfigLocation("server.json", 3, 19)));
    }

    [TestCaseSource(nameof(Errors))]
    public void Parse_NotAConfigValue_ThrowsWithFileLineColumn(string json, string expected)
    {
        // Act / Assert
        Assert.That(() => JsonConfigParser.Parse(json, "server.json"), Throws.TypeOf<ConfigException>().With.Message.EqualTo(expected));
    }

    [TestCaseSource(nameof(InvalidJson))]
    public void Parse_InvalidJson_ThrowsWithFileLineColumn(string json, int line, int column)
    {
        // Act
        var exception = Assert.Throws<ConfigException>(() => JsonConfigParser.Parse(json, "server.json"));

        // Assert
        Assert.That(exception.Message, Does.StartWith($"server.json:{line}:{column}: invalid JSON: "));
        Assert.That(exception.Message, Does.Not.Contain("LineNumber"));
    }
}
