using System.Security.Cryptography.X509Certificates;
using System.Text.Json;

namespace Spiffe.Core;

/// <summary>JWKS document handling shared by <see cref="JwtBundle"/> and <see cref="SpiffeBundle"/>.</summary>
internal static class Jwks
{
    public const string JwtSvidUse = "jwt-svid";
    public const string X509SvidUse = "x509-svid";

    private static readonly JsonDocumentOptions Options = new() { AllowDuplicateProperties = false };

    /// <summary>Parses a JSON object that must have a <c>keys</c> array; duplicate members are rejected.</summary>
    public static JsonDocument Parse(ReadOnlySpan<byte> json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json.ToArray(), Options);
        }
        catch (JsonException ex)
        {
            throw new FormatException("not valid JSON: " + ex.Message, ex);
        }

        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            document.Dispose();
            throw new FormatException("JWKS must be a JSON object");
        }

        if (!root.TryGetProperty("keys", out var keys) || keys.ValueKind != JsonValueKind.Array)
        {
            document.Dispose();
            throw new FormatException("JWKS must have a \"keys\" array");
        }

        return document;
    }

    /// <summary>Reads a JWT authority: <c>kid</c> set, non-empty and not seen before, public EC or RSA key members only.</summary>
    public static KeyValuePair<string, PublicKey> ReadJwtAuthority(JsonElement jwk, HashSet<string> seenKeyIds)
    {
        var kid = Jwk.GetString(jwk, "kid");
        if (string.IsNullOrEmpty(kid))
        {
            throw new FormatException("\"kid\" is missing or empty");
        }

        if (!seenKeyIds.Add(kid))
        {
            throw new FormatException($"duplicate \"kid\" \"{kid}\"");
        }

        return new(kid, Jwk.ReadPublicKey(jwk));
    }

    /// <summary>Checks that a member is a JSON object, as every JWK must be.</summary>
    public static JsonElement RequireObject(JsonElement jwk) =>
        jwk.ValueKind == JsonValueKind.Object ? jwk : throw new FormatException("key is not a JSON object");

    /// <summary>Writes a JWT authority as a JWK; <paramref name="use"/> is omitted when null.</summary>
    public static void WriteJwtAuthority(Utf8JsonWriter writer, string kid, PublicKey key, string? use)
    {
        writer.WriteStartObject();
        if (use is not null)
        {
            writer.WriteString("use", use);
        }

        writer.WriteString("kid", kid);
        Jwk.WritePublicKey(writer, key);
        writer.WriteEndObject();
    }

    /// <summary>Validates and copies JWT authorities given to a bundle constructor.</summary>
    public static Dictionary<string, PublicKey> CopyJwtAuthorities(IEnumerable<KeyValuePair<string, PublicKey>> authorities, string paramName)
    {
        ArgumentNullException.ThrowIfNull(authorities, paramName);
        var copy = new Dictionary<string, PublicKey>(StringComparer.Ordinal);
        foreach (var (kid, key) in authorities)
        {
            if (string.IsNullOrEmpty(kid))
            {
                throw new ArgumentException("a JWT authority has an empty key ID", paramName);
            }

            ArgumentNullException.ThrowIfNull(key, paramName);
            Jwk.RequireSupported(key, paramName);
            if (!copy.TryAdd(kid, key))
            {
                throw new ArgumentException($"duplicate key ID \"{kid}\"", paramName);
            }
        }

        return copy;
    }
}
