using System.Text;
using System.Text.Json;

namespace Spiffe.Core;

/// <summary>
/// A JWS in compact serialization split into its decoded parts, plus strict readers for common claims. Parsing is
/// structural only (three unpadded base64url segments, header and payload JSON objects without duplicate members);
/// errors are <see cref="FormatException"/>s for the caller to wrap with its own context.
/// </summary>
internal sealed class CompactJws
{
    private static readonly JsonDocumentOptions JsonOptions = new() { AllowDuplicateProperties = false };

    private CompactJws(JsonElement header, JsonElement payload, byte[] signingInput, byte[] signature)
    {
        this.Header = header;
        this.Payload = payload;
        this.SigningInput = signingInput;
        this.Signature = signature;
    }

    /// <summary>The JOSE header object (a detached clone).</summary>
    public JsonElement Header { get; }

    /// <summary>The payload object (a detached clone).</summary>
    public JsonElement Payload { get; }

    /// <summary>The ASCII bytes of <c>header.payload</c>, the input to the signature.</summary>
    public byte[] SigningInput { get; }

    /// <summary>The decoded signature.</summary>
    public byte[] Signature { get; }

    /// <summary>Splits and decodes a compact JWS.</summary>
    public static CompactJws Parse(string token)
    {
        if (token.TrimStart().StartsWith('{'))
        {
            throw new FormatException("token must use JWS compact serialization, not JSON serialization");
        }

        var segments = token.Split('.');
        if (segments.Length != 3)
        {
            throw new FormatException($"token must have 3 dot-separated segments in compact serialization, found {segments.Length}");
        }

        var header = DecodeObject(segments[0], "header");
        var payload = DecodeObject(segments[1], "payload");
        var signature = Decode(segments[2], "signature");
        return new CompactJws(header, payload, Encoding.ASCII.GetBytes(segments[0] + "." + segments[1]), signature);
    }

    /// <summary>Reads an optional string member; a present member of another JSON type is an error.</summary>
    public static string? GetString(JsonElement obj, string name, string what)
    {
        if (!obj.TryGetProperty(name, out var value))
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : throw new FormatException($"{what} \"{name}\" must be a string");
    }

    /// <summary>Reads an optional integer NumericDate claim.</summary>
    public static DateTimeOffset? GetTime(JsonElement claims, string name, string what)
    {
        if (!claims.TryGetProperty(name, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out var seconds))
        {
            throw new FormatException($"{what} \"{name}\" must be an integer NumericDate");
        }

        return seconds >= DateTimeOffset.MinValue.ToUnixTimeSeconds() && seconds <= DateTimeOffset.MaxValue.ToUnixTimeSeconds()
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : throw new FormatException($"{what} \"{name}\" is out of range");
    }

    private static JsonElement DecodeObject(string segment, string what)
    {
        var bytes = Decode(segment, what);
        try
        {
            using var document = JsonDocument.Parse(bytes, JsonOptions);
            return document.RootElement.ValueKind == JsonValueKind.Object
                ? document.RootElement.Clone()
                : throw new FormatException($"token {what} must be a JSON object");
        }
        catch (JsonException ex)
        {
            throw new FormatException($"token {what} is not valid JSON: {ex.Message}", ex);
        }
    }

    private static byte[] Decode(string segment, string what) =>
        segment.Length == 0
            ? throw new FormatException($"token {what} segment is empty")
            : Base64Strict.DecodeUrl(segment, $"token {what} segment");
}
