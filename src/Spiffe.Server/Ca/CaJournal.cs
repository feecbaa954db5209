using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Spiffe.Server.Ca;

/// <summary>
/// The CA journal as stored in the datastore: every X.509 CA, JWT and WIT key generation still valid, with status.
/// Private keys are not in it (they are in the key manager, by <c>key_id</c>). JSON:
/// <c>{"x509":[{"key_id","cert","chain":[…],"status"}],"jwt":[{"key_id","kid","public_key","not_before","not_after","status"}],"wit":[…]}</c>.
/// </summary>
internal sealed record CaJournal(IReadOnlyList<X509CaSlot> X509, IReadOnlyList<SigningKeySlot> Jwt, IReadOnlyList<SigningKeySlot> Wit)
{
    /// <summary>An empty journal.</summary>
    public static CaJournal Empty { get; } = new([], [], []);

    /// <summary>Serializes the journal (keys are not included).</summary>
    public byte[] Encode()
    {
        var x509 = new JsonArray();
        foreach (var slot in X509)
        {
            var chain = new JsonArray();
            foreach (var c in slot.UpstreamChain)
            {
                chain.Add(Convert.ToBase64String(c.RawData));
            }

            x509.Add(new JsonObject
            {
                ["key_id"] = slot.KeyId,
                ["cert"] = Convert.ToBase64String(slot.Certificate.RawData),
                ["chain"] = chain,
                ["status"] = slot.Status.ToString(),
            });
        }

        return JsonSerializer.SerializeToUtf8Bytes(new JsonObject
        {
            ["x509"] = x509,
            ["jwt"] = EncodeKeys(Jwt),
            ["wit"] = EncodeKeys(Wit),
        });
    }

    /// <summary>Parses a journal; slots come back without keys (attach them from the key manager).</summary>
    /// <exception cref="InvalidOperationException">The journal is corrupt.</exception>
    public static CaJournal Decode(byte[] data)
    {
        try
        {
            var root = JsonNode.Parse(data)!.AsObject();
            var x509 = root["x509"]!.AsArray().Select(n => new X509CaSlot(
                n!["key_id"]!.GetValue<string>(),
                X509CertificateLoader.LoadCertificate(Convert.FromBase64String(n["cert"]!.GetValue<string>())),
                n["chain"]!.AsArray().Select(c => X509CertificateLoader.LoadCertificate(Convert.FromBase64String(c!.GetValue<string>()))).ToArray(),
                null,
                Enum.Parse<SlotStatus>(n["status"]!.GetValue<string>()))).ToArray();
            return new CaJournal(x509, DecodeKeys(root["jwt"]), DecodeKeys(root["wit"]));
        }
        catch (Exception ex) when (ex is JsonException or FormatException or ArgumentException or NullReferenceException
            or InvalidOperationException or System.Security.Cryptography.CryptographicException)
        {
            throw new InvalidOperationException("CA journal in the datastore is corrupt: " + ex.Message, ex);
        }
    }

    private static JsonArray EncodeKeys(IReadOnlyList<SigningKeySlot> slots)
    {
        var array = new JsonArray();
        foreach (var slot in slots)
        {
            array.Add(new JsonObject
            {
                ["key_id"] = slot.KeyId,
                ["kid"] = slot.Kid,
                ["public_key"] = Convert.ToBase64String(slot.PublicKey),
                ["not_before"] = slot.NotBefore.ToUnixTimeSeconds(),
                ["not_after"] = slot.NotAfter.ToUnixTimeSeconds(),
                ["status"] = slot.Status.ToString(),
            });
        }

        return array;
    }

    private static SigningKeySlot[] DecodeKeys(JsonNode? node) =>
        (node?.AsArray() ?? []).Select(n => new SigningKeySlot(
            n!["key_id"]!.GetValue<string>(),
            n["kid"]!.GetValue<string>(),
            Convert.FromBase64String(n["public_key"]!.GetValue<string>()),
            DateTimeOffset.FromUnixTimeSeconds(n["not_before"]!.GetValue<long>()),
            DateTimeOffset.FromUnixTimeSeconds(n["not_after"]!.GetValue<long>()),
            null,
            Enum.Parse<SlotStatus>(n["status"]!.GetValue<string>()))).ToArray();
}
