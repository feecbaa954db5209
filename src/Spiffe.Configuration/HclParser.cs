namespace Spiffe.Configuration;

/// <summary>
/// Recursive-descent parser for the HCL v1 subset SPIRE's configs use:
/// <code>
/// body   := { item [','] }
/// item   := key ( '=' value | { label } '{' body '}' )      key, label := identifier | string
/// value  := string | heredoc | number | bool | '[' [ value { ',' value } [','] ] ']' | '{' body '}'
/// </code>
/// A block <c>key { … }</c> and an assignment <c>key = { … }</c> give the same tree; labels nest as in HCL v1
/// (<c>A "b" { … }</c> is <c>A { b { … } }</c>), which is also how JSON spells them.
/// </summary>
internal sealed class HclParser
{
    private const int MaxDepth = 64;

    private readonly HclTokenizer _tokenizer;
    private HclToken _current;

    private HclParser(HclTokenizer tokenizer)
    {
        _tokenizer = tokenizer;
        _current = tokenizer.Next();
    }

    /// <summary>Parses HCL text into its top-level object.</summary>
    /// <param name="text">The configuration text.</param>
    /// <param name="file">The file name used in locations and error messages.</param>
    /// <exception cref="ConfigException">The text is not valid HCL; the message names file, line and column.</exception>
    public static ConfigObject Parse(string text, string file)
    {
        var parser = new HclParser(new HclTokenizer(text, file));
        return parser.ParseBody(new ConfigLocation(file, 1, 1), open: null, depth: 0);
    }

    private HclToken Peek => _current;

    private HclToken Advance()
    {
        var token = _current;
        _current = _tokenizer.Next();
        return token;
    }

    private static void CheckDepth(HclToken open, int depth)
    {
        if (depth > MaxDepth)
        {
            throw new ConfigException(open.Location, $"blocks, objects and lists nest more than {MaxDepth} levels deep");
        }
    }

    private ConfigObject ParseBody(ConfigLocation location, HclToken? open, int depth)
    {
        if (open is not null)
        {
            CheckDepth(open.Value, depth);
        }

        var entries = new List<ConfigEntry>();
        while (true)
        {
            var token = Peek;
            if (open is null && token.Kind == HclTokenKind.EndOfFile)
            {
                return new ConfigObject(entries, location);
            }

            if (open is not null && token.Kind == HclTokenKind.RightBrace)
            {
                Advance();
                return new ConfigObject(entries, location);
            }

            if (token.Kind is not (HclTokenKind.Identifier or HclTokenKind.String))
            {
                throw new ConfigException(token.Location, open is null
                    ? $"expected a key, found {token.Describe()}"
                    : $"expected a key or '}}' closing the block opened at line {open.Value.Location.Line}, found {token.Describe()}");
            }

            entries.Add(ParseItem(depth));
            if (Peek.Kind == HclTokenKind.Comma)
            {
                Advance();
            }
        }
    }

    private ConfigEntry ParseItem(int depth)
    {
        var key = Advance();
        var labels = new List<HclToken>();
        while (true)
        {
            var token = Advance();
            switch (token.Kind)
            {
                case HclTokenKind.Equals when labels.Count == 0:
                    return new ConfigEntry(key.Text, ParseValue($"for key \"{key.Text}\"", depth), key.Location);
                case HclTokenKind.LeftBrace:
                    return new ConfigEntry(key.Text, Nest(labels, ParseBody(token.Location, token, depth + 1)), key.Location);
                case HclTokenKind.Identifier or HclTokenKind.String:
                    labels.Add(token);
                    break;
                case HclTokenKind.Equals when labels[^1].Location.Line != key.Location.Line:
                    throw new ConfigException(labels[0].Location, $"expected '=' or '{{' after key \"{key.Text}\", found {labels[0].Describe()}");
                default:
                    throw new ConfigException(token.Location, labels.Count == 0
                        ? $"expected '=' or '{{' after key \"{key.Text}\", found {token.Describe()}"
                        : $"expected '{{' after the labels of block \"{key.Text}\", found {token.Describe()}");
            }
        }
    }

    private static ConfigObject Nest(List<HclToken> labels, ConfigObject body)
    {
        var value = body;
        for (var i = labels.Count - 1; i >= 0; i--)
        {
            value = new ConfigObject([new ConfigEntry(labels[i].Text, value, labels[i].Location)], labels[i].Location);
        }

        return value;
    }

    private ConfigValue ParseValue(string context, int depth)
    {
        var token = Advance();
        return token.Kind switch
        {
            HclTokenKind.String => new ConfigScalar(ConfigScalarKind.String, token.Text, token.Location),
            HclTokenKind.Number => new ConfigScalar(ConfigScalarKind.Number, token.Text, token.Location),
            HclTokenKind.Bool => new ConfigScalar(ConfigScalarKind.Bool, token.Text, token.Location),
            HclTokenKind.LeftBrace => ParseBody(token.Location, token, depth + 1),
            HclTokenKind.LeftBracket => ParseList(token, depth + 1),
            _ => throw new ConfigException(token.Location, $"expected a value {context}, found {token.Describe()}"),
        };
    }

    private ConfigList ParseList(HclToken open, int depth)
    {
        CheckDepth(open, depth);
        var items = new List<ConfigValue>();
        var context = $"or ']' in the list opened at line {open.Location.Line}";
        while (true)
        {
            if (Peek.Kind == HclTokenKind.RightBracket)
            {
                Advance();
                return new ConfigList(items, open.Location);
            }

            items.Add(ParseValue(context, depth));
            var token = Advance();
            if (token.Kind == HclTokenKind.RightBracket)
            {
                return new ConfigList(items, open.Location);
            }

            if (token.Kind != HclTokenKind.Comma)
            {
                throw new ConfigException(token.Location, $"expected ',' {context}, found {token.Describe()}");
            }
        }
    }
}
