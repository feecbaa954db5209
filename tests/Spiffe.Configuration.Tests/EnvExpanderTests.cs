namespace Spiffe.Configuration.Tests;

[TestFixture]
public sealed class EnvExpanderTests
{
    private static readonly Dictionary<string, string> Environment = new(StringComparer.Ordinal)
    {
        ["TD"] = "example.org",
        ["PORT_2"] = "8081",
        ["1"] = "one",
        ["a.b"] = "dotted",
    };

    private static IEnumerable<TestCaseData> Expansions()
    {
        yield return new TestCaseData("trust_domain = \"$TD\"", "trust_domain = \"example.org\"");
        yield return new TestCaseData("trust_domain = \"${TD}\"", "trust_domain = \"example.org\"");
        yield return new TestCaseData("port = ${PORT_2}", "port = 8081");
        yield return new TestCaseData("$TD.$PORT_2", "example.org.8081");
        yield return new TestCaseData("${TD}x", "example.orgx");
        yield return new TestCaseData("$TDx", string.Empty);
        yield return new TestCaseData("a $UNSET b", "a  b");
        yield return new TestCaseData("${a.b}", "dotted");
        yield return new TestCaseData("$1x", "onex");
        yield return new TestCaseData("${1}", "one");
        yield return new TestCaseData("$$", string.Empty);
        yield return new TestCaseData("${}x", "x");
        yield return new TestCaseData("${TD", "TD");
        yield return new TestCaseData("$ x", "$ x");
        yield return new TestCaseData("$", "$");
        yield return new TestCaseData("a$", "a$");
        yield return new TestCaseData("no variables", "no variables");
        yield return new TestCaseData(string.Empty, string.Empty);
    }

    [TestCaseSource(nameof(Expansions))]
    public void Expand_Text_FollowsGoOsExpandEnv(string text, string expected)
    {
        // Act
        var expanded = EnvExpander.Expand(text, name => Environment.GetValueOrDefault(name));

        // Assert
        Assert.That(expanded, Is.EqualTo(expected));
    }
}
