using Spiffe.Server.Cli.Input;

namespace Spiffe.Server.Tests.Cli;

[TestFixture]
public sealed class SelectorParserTests
{
    [TestCase("unix:uid:1000", "unix", "uid:1000")]
    [TestCase("spiffe_id:spiffe://example.org/a", "spiffe_id", "spiffe://example.org/a")]
    [TestCase("docker:label:com.example:v", "docker", "label:com.example:v")]
    [TestCase("a:", "a", "")]
    public void Parse_TypeValue_SplitsAtFirstColon(string text, string type, string value)
    {
        // Act
        var selector = SelectorParser.Parse(text);

        // Assert
        Assert.That(selector.Type, Is.EqualTo(type));
        Assert.That(selector.Value, Is.EqualTo(value));
    }

    [Test]
    public void Parse_NoColon_Throws()
    {
        // Act / Assert
        Assert.That(() => SelectorParser.Parse("unix"), Throws.TypeOf<CliException>().With.Message.EqualTo("selector \"unix\" must be formatted as type:value"));
    }
}
