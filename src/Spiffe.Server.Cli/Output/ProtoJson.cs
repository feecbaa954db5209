using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Google.Protobuf;

namespace Spiffe.Server.Cli.Output;

/// <summary>
/// Proto JSON as spire-server's <c>-output json</c> prints it: original proto field names, default values
/// included, unset messages left out, object members sorted by name, one compact line per result.
/// </summary>
internal static class ProtoJson
{
    private static readonly JsonFormatter Formatter = new(
        JsonFormatter.Settings.Default.WithFormatDefaultValues(true).WithPreserveProtoFieldNames(true));

    private static readonly JsonSerializerOptions CompactOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        WriteIndented = false,
    };

    /// <summary>Formats one message as a JSON object.</summary>
    /// <param name="message">The message.</param>
    /// <returns>The JSON text, without a line break.</returns>
    public static string Format(IMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var node = JsonNode.Parse(Formatter.Format(message)) ?? throw new InvalidOperationException("the formatter wrote null");
        return Normalize(node)!.ToJsonString(CompactOptions);
    }

    private static JsonNode? Normalize(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                var sorted = new JsonObject();
                foreach (var (name, value) in obj.OrderBy(p => p.Key, StringComparer.Ordinal).ToList())
                {
                    if (value is not null)
                    {
                        obj.Remove(name);
                        sorted[name] = Normalize(value);
                    }
                }

                return sorted;
            case JsonArray array:
                var items = new JsonArray();
                foreach (var item in array.ToList())
                {
                    if (item is not null)
                    {
                        array.Remove(item);
                        items.Add(Normalize(item));
                    }
                }

                return items;
            default:
                return node;
        }
    }
}
