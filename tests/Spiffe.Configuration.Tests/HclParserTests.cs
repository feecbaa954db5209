namespace Spiffe.Configuration.Tests;

[TestFixture]
public sealed class HclParserTests
{
    private static IEnumerable<TestCaseData> Scalars()
    {
        yield return new TestCaseData("v = \"text\"", "String", "text");
        yield return new TestCaseData("v = \"\"", "String", string.Empty);
        yield return new TestCaseData("v = \"# not // a /* comment\"", "String", "# not // a /* comment");
        yield return new TestCaseData("v = \"a\\\"b\"", "String", "a\"b");
        yield return new TestCaseData("v = \"C:\\\\dir\"", "String", "C:\\dir");
        yield return new TestCaseData("v = \"\\n\\r\\t\\a\\b\\f\\v\"", "String", "\n\r\t\a\b\f\v");
        yield return new TestCaseData("v = \"caf\\u00e9\"", "String", "caf\u00e9");
        yield return new TestCaseData("v = \"\\U0001F600\"", "String", "\U0001F600");
        yield return new TestCaseData("v = \"${VAR}\"", "String", "${VAR}");
        yield return new TestCaseData("v = 8081", "Number", "8081");
        yield return new TestCaseData("v = -7", "Number", "-7");
        yield return new TestCaseData("v = 1.5", "Number", "1.5");
        yield return new TestCaseData("v = 1e3", "Number", "1e3");
        yield return new TestCaseData("v = 2.5E-2", "Number", "2.5E-2");
        yield return new TestCaseData("v = true", "Bool", "true");
        yield return new TestCaseData("v = false", "Bool", "false");
        yield return new TestCaseData("v = <<EOF\nline one\n  line two\nEOF\n", "String", "line one\n  line two\n");
        yield return new TestCaseData("v = <<EOF\r\nwindows\r\nEOF", "String", "windows\n");
        yield return new TestCaseData("v = <<EOF\nEOF", "String", string.Empty);
        yield return new TestCaseData("v = <<-EOT\n    indented\n      more\n    EOT\n", "String", "indented\n  more\n");
        yield return new TestCaseData("v = <<-EOT\n    indented\n  less\n    EOT\n", "String", "    indented\n  less\n");
        yield return new TestCaseData("v = <<EOT\n    kept\n    EOT\n", "String", "    kept\n");
    }

    private static IEnumerable<TestCaseData> EquivalentSpellings()
    {
        yield return new TestCaseData("a { b = 1 }", "a = { b = 1 }");
        yield return new TestCaseData("plugin_data {}", "plugin_data = {}");
        yield return new TestCaseData("NodeAttestor \"join_token\" { plugin_data {} }", "NodeAttestor join_token { plugin_data {} }");
        yield return new TestCaseData("NodeAttestor \"join_token\" { plugin_data {} }", "NodeAttestor { join_token { plugin_data {} } }");
        yield return new TestCaseData("NodeAttestor \"join_token\" { plugin_data {} }", "NodeAttestor = { join_token = { plugin_data = {} } }");
        yield return new TestCaseData("a \"b\" c { d = 1 }", "a { b { c { d = 1 } } }");
        yield return new TestCaseData("a = 1, b = 2", "a = 1\nb = 2");
        yield return new TestCaseData("x { a = 1, b = 2, }", "x {\n  a = 1\n  b = 2\n}");
        yield return new TestCaseData("\"bind_port\" = 1", "bind_port = 1");
        yield return new TestCaseData("\"quoted key\" { \"a b\" = 1 }", "{\"quoted key\": {\"a b\": 1}}");
        yield return new TestCaseData("l = [ \"a\", \"b\", ]", "l = [\n  \"a\",\n  \"b\"\n]");
        yield return new TestCaseData("a = 1 # hash\nb = 2 // slashes\n/* block\n   comment */ c = 3", "a = 1\nb = 2\nc = 3");
        yield return new TestCaseData("a/**/=/* x */1", "a = 1");
        yield return new TestCaseData("\uFEFFa = 1", "a = 1");
    }

    private static IEnumerable<TestCaseData> SyntaxErrors()
    {
        yield return new TestCaseData("server {\n    bind_port 8081\n}", "server.conf:2:15: expected '=' or '{' after key \"bind_port\", found number 8081");
        yield return new TestCaseData("bind_port \"8081\"\ntrust_domain = \"x\"", "server.conf:1:11: expected '=' or '{' after key \"bind_port\", found string \"8081\"");
        yield return new TestCaseData("NodeAttestor \"x\" = {}", "server.conf:1:18: expected '{' after the labels of block \"NodeAttestor\", found '='");
        yield return new TestCaseData("a", "server.conf:1:2: expected '=' or '{' after key \"a\", found end of file");
        yield return new TestCaseData("a = ", "server.conf:1:5: expected a value for key \"a\", found end of file");
        yield return new TestCaseData("a = b", "server.conf:1:5: expected a value for key \"a\", found identifier b");
        yield return new TestCaseData("a = }", "server.conf:1:5: expected a value for key \"a\", found '}'");
        yield return new TestCaseData("}", "server.conf:1:1: expected a key, found '}'");
        yield return new TestCaseData("= 1", "server.conf:1:1: expected a key, found '='");
        yield return new TestCaseData("server {\n  a = 1\n", "server.conf:3:1: expected a key or '}' closing the block opened at line 1, found end of file");
        yield return new TestCaseData("server {\n  a = 1\n  ]\n}", "server.conf:3:3: expected a key or '}' closing the block opened at line 1, found ']'");
        yield return new TestCaseData("a = [1 2]", "server.conf:1:8: expected ',' or ']' in the list opened at line 1, found number 2");
        yield return new TestCaseData("a = [\n  1,\n", "server.conf:3:1: expected a value or ']' in the list opened at line 1, found end of file");
        yield return new TestCaseData("a = [ , ]", "server.conf:1:7: expected a value or ']' in the list opened at line 1, found ','");
        yield return new TestCaseData("ca_ttl = 1h", "server.conf:1:10: invalid number 1h: strings such as durations must be quoted");
        yield return new TestCaseData("a = 1.", "server.conf:1:5: invalid number 1.: strings such as durations must be quoted");
        yield return new TestCaseData("a = \"open", "server.conf:1:5: unterminated string: expected '\"' before the end of the line");
        yield return new TestCaseData("a = \"one\ntwo\"", "server.conf:1:5: unterminated string: expected '\"' before the end of the line");
        yield return new TestCaseData("a = \"abc\\", "server.conf:1:5: unterminated string: expected '\"' before the end of the line");
        yield return new TestCaseData("a = \"abc\\\n\"", "server.conf:1:5: unterminated string: expected '\"' before the end of the line");
        yield return new TestCaseData("a = \"\\q\"", "server.conf:1:6: unknown escape sequence '\\q' in string");
        yield return new TestCaseData("a = \"\\u12\"", "server.conf:1:6: invalid escape sequence: expected 4 hex digits naming a Unicode code point");
        yield return new TestCaseData("a = \"\\uD800\"", "server.conf:1:6: invalid escape sequence: expected 4 hex digits naming a Unicode code point");
        yield return new TestCaseData("a = \"\\U00110000\"", "server.conf:1:6: invalid escape sequence: expected 8 hex digits naming a Unicode code point");
        yield return new TestCaseData("a = 1\n  /* never closed", "server.conf:2:3: unterminated comment: expected '*/'");
        yield return new TestCaseData("a = @", "server.conf:1:5: unexpected character '@'");
        yield return new TestCaseData("a = -", "server.conf:1:5: unexpected character '-'");
        yield return new TestCaseData("a / b", "server.conf:1:3: unexpected character '/'");
        yield return new TestCaseData("a = <<EOF\nnever closed\n", "server.conf:1:5: unterminated heredoc: expected a line holding only EOF");
        yield return new TestCaseData("a = <<EOF x\nEOF", "server.conf:1:5: invalid heredoc: expected '<<MARKER' or '<<-MARKER' followed by a newline");
        yield return new TestCaseData("a = <<\nEOF", "server.conf:1:5: invalid heredoc: expected '<<MARKER' or '<<-MARKER' followed by a newline");
    }

    [TestCaseSource(nameof(Scalars))]
    public void Parse_ScalarValue_ReturnsKindAndText(string text, string kind, string expected)
    {
        // Act
        var root = HclParser.Parse(text, "test.conf");

        // Assert
        var scalar = (ConfigScalar)root.Entries.Single().Value;
        Assert.That(scalar.Kind, Is.EqualTo(Enum.Parse<ConfigScalarKind>(kind)));
        Assert.That(scalar.Text, Is.EqualTo(expected));
    }

    [TestCaseSource(nameof(EquivalentSpellings))]
    public void Parse_EquivalentSpellings_GiveSameTree(string first, string second)
    {
        // Act
        var a = ConfigFile.Parse(first, "a.conf");
        var b = ConfigFile.Parse(second, "b.conf");

        // Assert
        Assert.That(ConfigTreePrinter.Print(a), Is.EqualTo(ConfigTreePrinter.Print(b)));
    }

    [TestCaseSource(nameof(SyntaxErrors))]
    public void Parse_SyntaxError_ThrowsWithFileLineColumn(string text, string expected)
    {
        // Act / Assert
        Assert.That(() => HclParser.Parse(text, "server.conf"), Throws.TypeOf<ConfigException>().With.Message.EqualTo(expected));
    }

    [Test]
    public void Parse_SyntaxError_ExposesLocationInErrors()
    {
        // Act
        var exception = Assert.Throws<ConfigException>(() => HclParser.Parse("a = 1\nb c", "x.conf"));

        // Assert
        Assert.That(exception.Errors, Has.Count.EqualTo(1));
        Assert.That(exception.Errors[0].Location, Is.EqualTo(new ConfigLocation("x.conf", 2, 4)));
    }

    [Test]
    public void Parse_NestingAtLimit_Parses()
    {
        // Arrange
        var lists = "a = " + new string('[', 64) + new string(']', 64);
        var blocks = string.Concat(Enumerable.Repeat("b {", 64)) + new string('}', 64);

        // Act / Assert
        Assert.That(() => HclParser.Parse(lists, "deep.conf"), Throws.Nothing);
        Assert.That(() => HclParser.Parse(blocks, "deep.conf"), Throws.Nothing);
    }

    [TestCase("[", 69)]
    [TestCase("{ a = ", 389)]
    public void Parse_NestingBeyondLimit_ThrowsAtInnermostOpening(string open, int column)
    {
        // Arrange
        var text = "a = " + string.Concat(Enumerable.Repeat(open, 65));

        // Act / Assert
        Assert.That(
            () => HclParser.Parse(text, "deep.conf"),
            Throws.TypeOf<ConfigException>().With.Message.EqualTo($"deep.conf:1:{column}: blocks, objects and lists nest more than 64 levels deep"));
    }

    [Test]
    public void Parse_EmptyOrCommentOnlyText_ReturnsEmptyObject()
    {
        // Act
        var root = HclParser.Parse("  # nothing\n// here\n/* at all */\n", "empty.conf");

        // Assert
        Assert.That(root.Entries, Is.Empty);
        Assert.That(root.Location, Is.EqualTo(new ConfigLocation("empty.conf", 1, 1)));
    }

    [Test]
    public void Parse_Lists_KeepElementsAndNesting()
    {
        // Arrange
        const string text = "l = [ \"a\", 2, true, [], [\"x\"], { k = \"v\" }, ]\ne = []";

        // Act
        var root = HclParser.Parse(text, "lists.conf");

        // Assert
        Assert.That(ConfigTreePrinter.Print(root), Is.EqualTo("{l=[\"a\",Number:2,Bool:true,[],[\"x\",],{k=\"v\";},];e=[];}"));
    }

    [Test]
    public void Parse_RepeatedKeysAndBlocks_PreservedInOrder()
    {
        // Arrange
        const string text = """
            plugins {
                NodeAttestor "join_token" { plugin_data {} }
                KeyManager "disk" { plugin_data { directory = "/a" } }
                NodeAttestor "x509pop" { plugin_data { ca_bundle_path = "/b" } }
            }
            a = 1
            a = 2
            """;

        // Act
        var root = HclParser.Parse(text, "repeat.conf");

        // Assert
        var plugins = (ConfigObject)root.Entries[0].Value;
        Assert.That(plugins.Entries.Select(e => e.Key), Is.EqualTo(new[] { "NodeAttestor", "KeyManager", "NodeAttestor" }));
        Assert.That(
            plugins.Entries.Select(e => ((ConfigObject)e.Value).Entries.Single().Key),
            Is.EqualTo(new[] { "join_token", "disk", "x509pop" }));
        Assert.That(root.Entries.Skip(1).Select(e => ((ConfigScalar)e.Value).Text), Is.EqualTo(new[] { "1", "2" }));
    }

    [Test]
    public void Parse_Nodes_CarryFileLineAndColumn()
    {
        // Arrange
        const string text = "server {\n\tbind_port = \"8081\"\n    NodeAttestor \"x509pop\" {\n      list = [\n        \"a\",\n      ]\n    }\n}\nafter = <<EOF\none\ntwo\nEOF\nlast = 1";

        // Act
        var root = HclParser.Parse(text, "server.conf");

        // Assert
        var server = root.Entries[0];
        var body = (ConfigObject)server.Value;
        var bindPort = body.Entries[0];
        var attestor = body.Entries[1];
        var label = ((ConfigObject)attestor.Value).Entries.Single();
        var list = (ConfigList)((ConfigObject)label.Value).Entries.Single().Value;
        Assert.That(server.Location, Is.EqualTo(new ConfigLocation("server.conf", 1, 1)));
        Assert.That(body.Location, Is.EqualTo(new ConfigLocation("server.conf", 1, 8)));
        Assert.That(bindPort.Location, Is.EqualTo(new ConfigLocation("server.conf", 2, 2)));
        Assert.That(bindPort.Value.Location, Is.EqualTo(new ConfigLocation("server.conf", 2, 14)));
        Assert.That(attestor.Location, Is.EqualTo(new ConfigLocation("server.conf", 3, 5)));
        Assert.That(label.Location, Is.EqualTo(new ConfigLocation("server.conf", 3, 18)));
        Assert.That(label.Value.Location, Is.EqualTo(new ConfigLocation("server.conf", 3, 28)));
        Assert.That(list.Location, Is.EqualTo(new ConfigLocation("server.conf", 4, 14)));
        Assert.That(list.Items[0].Location, Is.EqualTo(new ConfigLocation("server.conf", 5, 9)));
        Assert.That(root.Entries[1].Location, Is.EqualTo(new ConfigLocation("server.conf", 9, 1)));
        Assert.That(root.Entries[2].Location, Is.EqualTo(new ConfigLocation("server.conf", 13, 1)));
    }
}
