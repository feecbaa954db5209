using System.Globalization;
using System.Text;

namespace Spiffe.Configuration;

/// <summary>
/// Splits HCL v1 text into tokens. Whitespace and newlines separate tokens and carry no meaning; comments are
/// <c>#</c> and <c>//</c> to the end of the line and <c>/* … */</c>.
/// </summary>
internal sealed class HclTokenizer
{
    private readonly string _text;
    private readonly string _file;
    private int _position;
    private int _line = 1;
    private int _lineStart;

    /// <summary>Creates a tokenizer over <paramref name="text"/>; <paramref name="file"/> names it in locations.</summary>
    public HclTokenizer(string text, string file)
    {
        _text = text;
        _file = file;
    }

    private ConfigLocation Location => new(_file, _line, _position - _lineStart + 1);

    private char Current => _position < _text.Length ? _text[_position] : '\0';

    private char Lookahead => _position + 1 < _text.Length ? _text[_position + 1] : '\0';

    private bool AtEnd => _position >= _text.Length;

    /// <summary>Reads the next token; at the end of the text, and from then on, <see cref="HclTokenKind.EndOfFile"/>.</summary>
    /// <exception cref="ConfigException">The next token is a character or literal that is not HCL.</exception>
    public HclToken Next()
    {
        SkipWhitespaceAndComments();
        var start = Location;
        if (AtEnd)
        {
            return new HclToken(HclTokenKind.EndOfFile, string.Empty, start);
        }

        var c = Current;
        switch (c)
        {
            case '{':
                return Punctuation(HclTokenKind.LeftBrace, start);
            case '}':
                return Punctuation(HclTokenKind.RightBrace, start);
            case '[':
                return Punctuation(HclTokenKind.LeftBracket, start);
            case ']':
                return Punctuation(HclTokenKind.RightBracket, start);
            case '=':
                return Punctuation(HclTokenKind.Equals, start);
            case ',':
                return Punctuation(HclTokenKind.Comma, start);
            case '"':
                return new HclToken(HclTokenKind.String, ReadString(start), start);
            case '<' when Lookahead == '<':
                return new HclToken(HclTokenKind.String, ReadHeredoc(start), start);
        }

        if (char.IsAsciiDigit(c) || (c == '-' && char.IsAsciiDigit(Lookahead)))
        {
            return ReadNumber(start);
        }

        if (IsIdentifierStart(c))
        {
            var word = ReadWhile(IsIdentifierPart);
            var kind = word is "true" or "false" ? HclTokenKind.Bool : HclTokenKind.Identifier;
            return new HclToken(kind, word, start);
        }

        throw new ConfigException(start, $"unexpected character '{c}'");
    }

    private static bool IsIdentifierStart(char c) => char.IsLetter(c) || c == '_';

    private static bool IsIdentifierPart(char c) => char.IsLetterOrDigit(c) || c is '_' or '-' or '.';

    private HclToken Punctuation(HclTokenKind kind, ConfigLocation start)
    {
        var text = _text[_position].ToString();
        _position++;
        return new HclToken(kind, text, start);
    }

    private void SkipWhitespaceAndComments()
    {
        while (!AtEnd)
        {
            var c = Current;
            if (c == '\n')
            {
                NewLine();
            }
            else if (char.IsWhiteSpace(c) || c == '\uFEFF')
            {
                _position++;
            }
            else if (c == '#' || (c == '/' && Lookahead == '/'))
            {
                ReadWhile(ch => ch != '\n');
            }
            else if (c == '/' && Lookahead == '*')
            {
                SkipBlockComment();
            }
            else
            {
                return;
            }
        }
    }

    private void SkipBlockComment()
    {
        var start = Location;
        _position += 2;
        while (!AtEnd)
        {
            if (Current == '*' && Lookahead == '/')
            {
                _position += 2;
                return;
            }

            if (Current == '\n')
            {
                NewLine();
            }
            else
            {
                _position++;
            }
        }

        throw new ConfigException(start, "unterminated comment: expected '*/'");
    }

    private void NewLine()
    {
        _position++;
        _line++;
        _lineStart = _position;
    }

    private string ReadWhile(Func<char, bool> predicate)
    {
        var start = _position;
        while (!AtEnd && predicate(Current))
        {
            _position++;
        }

        return _text[start.._position];
    }

    private HclToken ReadNumber(ConfigLocation start)
    {
        var begin = _position;
        if (Current == '-')
        {
            _position++;
        }

        ReadWhile(char.IsAsciiDigit);
        if (Current == '.' && char.IsAsciiDigit(Lookahead))
        {
            _position++;
            ReadWhile(char.IsAsciiDigit);
        }

        if (Current is 'e' or 'E')
        {
            var exponentStart = _position;
            _position++;
            if (Current is '+' or '-')
            {
                _position++;
            }

            if (char.IsAsciiDigit(Current))
            {
                ReadWhile(char.IsAsciiDigit);
            }
            else
            {
                _position = exponentStart;
            }
        }

        if (IsIdentifierPart(Current))
        {
            ReadWhile(IsIdentifierPart);
            throw new ConfigException(start, $"invalid number {_text[begin.._position]}: strings such as durations must be quoted");
        }

        return new HclToken(HclTokenKind.Number, _text[begin.._position], start);
    }

    private string ReadString(ConfigLocation start)
    {
        _position++;
        var value = new StringBuilder();
        while (true)
        {
            if (AtEnd || Current == '\n')
            {
                throw new ConfigException(start, "unterminated string: expected '\"' before the end of the line");
            }

            var c = Current;
            if (c == '"')
            {
                _position++;
                return value.ToString();
            }

            if (c == '\\' && _position + 1 < _text.Length && _text[_position + 1] != '\n')
            {
                ReadEscape(value);
            }
            else
            {
                value.Append(c);
                _position++;
            }
        }
    }

    private void ReadEscape(StringBuilder value)
    {
        var escapeStart = Location;
        _position++;
        var c = Current;
        _position++;
        switch (c)
        {
            case '\\': value.Append('\\'); break;
            case '"': value.Append('"'); break;
            case 'n': value.Append('\n'); break;
            case 'r': value.Append('\r'); break;
            case 't': value.Append('\t'); break;
            case 'a': value.Append('\a'); break;
            case 'b': value.Append('\b'); break;
            case 'f': value.Append('\f'); break;
            case 'v': value.Append('\v'); break;
            case 'u': value.Append(ReadCodePoint(4, escapeStart)); break;
            case 'U': value.Append(ReadCodePoint(8, escapeStart)); break;
            default:
                throw new ConfigException(escapeStart, $"unknown escape sequence '\\{c}' in string");
        }
    }

    private string ReadCodePoint(int digits, ConfigLocation escapeStart)
    {
        var end = _position + digits;
        if (end <= _text.Length
            && int.TryParse(_text.AsSpan(_position, digits), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var codePoint)
            && codePoint <= 0x10FFFF
            && codePoint is < 0xD800 or > 0xDFFF)
        {
            _position = end;
            return char.ConvertFromUtf32(codePoint);
        }

        throw new ConfigException(escapeStart, $"invalid escape sequence: expected {digits} hex digits naming a Unicode code point");
    }

    private string ReadHeredoc(ConfigLocation start)
    {
        _position += 2;
        var indented = Current == '-';
        if (indented)
        {
            _position++;
        }

        var marker = ReadWhile(ch => char.IsAsciiLetterOrDigit(ch) || ch == '_');
        if (Current == '\r')
        {
            _position++;
        }

        if (marker.Length == 0 || Current != '\n')
        {
            throw new ConfigException(start, "invalid heredoc: expected '<<MARKER' or '<<-MARKER' followed by a newline");
        }

        NewLine();
        var lines = new List<string>();
        while (!AtEnd)
        {
            var line = ReadWhile(ch => ch != '\n').TrimEnd('\r');
            if (!AtEnd)
            {
                NewLine();
            }

            var indentLength = line.Length - line.TrimStart(' ', '\t').Length;
            if (line.AsSpan(indentLength).SequenceEqual(marker))
            {
                var indent = line[..indentLength];
                if (indented && lines.TrueForAll(l => l.StartsWith(indent, StringComparison.Ordinal)))
                {
                    lines = lines.ConvertAll(l => l[indent.Length..]);
                }

                return string.Concat(lines.Select(l => l + "\n"));
            }

            lines.Add(line);
        }

        throw new ConfigException(start, $"unterminated heredoc: expected a line holding only {marker}");
    }
}
