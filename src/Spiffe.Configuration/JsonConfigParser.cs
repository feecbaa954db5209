using System.Text;
using System.Text.Json;

namespace Spiffe.Configuration;

/// <summary>
/// Parses a JSON configuration into the same tree as its HCL spelling: objects map to <see cref="ConfigObject"/>
/// (duplicate member names are kept as repeated entries), arrays to <see cref="ConfigList"/>, and strings, numbers
/// and booleans to <see cref="ConfigScalar"/>. <c>null</c> is rejected, as HCL has no null.
/// </summary>
internal sealed class JsonConfigParser
{
    private readonly string _file;
    private readonly byte[] _utf8;
    private readonly List<int> _lineStarts = [0];

    private JsonConfigParser(string text, string file)
    {
        _file = file;
        _utf8 = Encoding.UTF8.GetBytes(text);
        for (var i = 0; i < _utf8.Length; i++)
        {
            if (_utf8[i] == (byte)'\n')
            {
                _lineStarts.Add(i + 1);
            }
        }
    }

    /// <summary>Parses JSON text whose root is an object.</summary>
    /// <param name="text">The configuration text.</param>
    /// <param name="file">The file name used in locations and error messages.</param>
    /// <exception cref="ConfigException">The text is not valid JSON or not an object; the message names file, line and column.</exception>
    public static ConfigObject Parse(string text, string file) => new JsonConfigParser(text, file).ParseDocument();

    private ConfigObject ParseDocument()
    {
        var reader = new Utf8JsonReader(_utf8);
        try
        {
            reader.Read();
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                throw new ConfigException(LocationOf(reader), "expected '{': a JSON configuration must be an object");
            }

            var root = ParseObject(ref reader);
            reader.Read();
            return root;
        }
        catch (JsonException e)
        {
            throw new ConfigException(LocationOf(e), $"invalid JSON: {StripPosition(e.Message)}");
        }
    }

    private ConfigValue ParseValue(ref Utf8JsonReader reader)
    {
        var location = LocationOf(reader);
        return reader.TokenType switch
        {
            JsonTokenType.StartObject => ParseObject(ref reader),
            JsonTokenType.StartArray => ParseArray(ref reader),
            JsonTokenType.String => new ConfigScalar(ConfigScalarKind.String, reader.GetString()!, location),
            JsonTokenType.Number => new ConfigScalar(ConfigScalarKind.Number, Encoding.UTF8.GetString(reader.ValueSpan), location),
            JsonTokenType.True => new ConfigScalar(ConfigScalarKind.Bool, "true", location),
            JsonTokenType.False => new ConfigScalar(ConfigScalarKind.Bool, "false", location),
            _ => throw new ConfigException(location, "null is not a valid configuration value; leave the key out instead"),
        };
    }

    private ConfigObject ParseObject(ref Utf8JsonReader reader)
    {
        var location = LocationOf(reader);
        var entries = new List<ConfigEntry>();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var keyLocation = LocationOf(reader);
            var key = reader.GetString()!;
            reader.Read();
            entries.Add(new ConfigEntry(key, ParseValue(ref reader), keyLocation));
        }

        return new ConfigObject(entries, location);
    }

    private ConfigList ParseArray(ref Utf8JsonReader reader)
    {
        var location = LocationOf(reader);
        var items = new List<ConfigValue>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            items.Add(ParseValue(ref reader));
        }

        return new ConfigList(items, location);
    }

    private ConfigLocation LocationOf(in Utf8JsonReader reader)
    {
        var offset = (int)reader.TokenStartIndex;
        var lineIndex = _lineStarts.BinarySearch(offset);
        if (lineIndex < 0)
        {
            lineIndex = ~lineIndex - 1;
        }

        var lineStart = _lineStarts[lineIndex];
        var column = Encoding.UTF8.GetCharCount(_utf8, lineStart, offset - lineStart) + 1;
        return new ConfigLocation(_file, lineIndex + 1, column);
    }

    private ConfigLocation LocationOf(JsonException e) =>
        new(_file, (int)(e.LineNumber ?? 0) + 1, (int)(e.BytePositionInLine ?? 0) + 1);

    private static string StripPosition(string message)
    {
        var index = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return index < 0 ? message : message[..index];
    }
}
