namespace Spiffe.Configuration.Tests;

[TestFixture]
public sealed class ConfigFileTests
{
    private string _directory = null!;

    [SetUp]
    public void SetUp()
    {
        _directory = Directory.CreateTempSubdirectory("spiffe-config-tests-").FullName;
    }

    [TearDown]
    public void TearDown()
    {
        Directory.Delete(_directory, recursive: true);
    }

    [TestCase("{\"a\": 1}")]
    [TestCase("\n   \t{\"a\": 1}")]
    [TestCase("a = 1")]
    [TestCase("# comment\na = 1")]
    public void Parse_JsonOrHcl_DetectedByFirstCharacter(string text)
    {
        // Act
        var root = ConfigFile.Parse(text, "any.conf");

        // Assert
        Assert.That(ConfigTreePrinter.Print(root), Is.EqualTo("{a=Number:1;}"));
    }

    [Test]
    public void Parse_JsonSyntaxInHclFile_ReportsHclError()
    {
        // Act / Assert
        Assert.That(
            () => ConfigFile.Parse("# JSON after a comment is HCL\n{\"a\": 1}", "agent.conf"),
            Throws.TypeOf<ConfigException>().With.Message.EqualTo("agent.conf:2:1: expected a key, found '{'"));
    }

    [Test]
    public void Load_SyntaxError_MessageNamesPathLineAndColumn()
    {
        // Arrange
        var path = Write("server.conf", "server {\n    bind_port 8081\n}");

        // Act / Assert
        Assert.That(
            () => ConfigFile.Load(path),
            Throws.TypeOf<ConfigException>().With.Message.EqualTo($"{path}:2:15: expected '=' or '{{' after key \"bind_port\", found number 8081"));
    }

    [Test]
    public void Load_ExpandEnv_SubstitutesVariablesBeforeParsing()
    {
        // Arrange
        var variable = $"SPIFFE_CONFIG_TEST_{Guid.NewGuid():N}";
        Environment.SetEnvironmentVariable(variable, "example.org");
        var path = Write("agent.conf", $"agent {{\n  trust_domain = \"${{{variable}}}\"\n  server_port = ${variable}_PORT\n}}");

        try
        {
            Environment.SetEnvironmentVariable($"{variable}_PORT", "8081");

            // Act
            var root = ConfigSection.Root(ConfigFile.Load(path, expandEnv: true), new ConfigErrors());

            // Assert
            var agent = root.GetSection("agent")!;
            Assert.That(agent.GetString("trust_domain"), Is.EqualTo("example.org"));
            Assert.That(agent.GetInt("server_port"), Is.EqualTo(8081));
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
            Environment.SetEnvironmentVariable($"{variable}_PORT", null);
        }
    }

    [Test]
    public void Load_WithoutExpandEnv_KeepsVariableReferencesLiterally()
    {
        // Arrange
        var path = Write("agent.conf", "trust_domain = \"${HOME}\"");

        // Act
        var root = ConfigSection.Root(ConfigFile.Load(path), new ConfigErrors());

        // Assert
        Assert.That(root.GetString("trust_domain"), Is.EqualTo("${HOME}"));
    }

    [Test]
    public void Load_Json_NamesFileInLocations()
    {
        // Arrange
        var path = Write("server.json", "{\n  \"server\": {\"bind_port\": \"8081\"}\n}");

        // Act
        var root = ConfigFile.Load(path);

        // Assert
        Assert.That(root.Entries.Single().Location, Is.EqualTo(new ConfigLocation(path, 2, 3)));
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, text);
        return path;
    }
}
