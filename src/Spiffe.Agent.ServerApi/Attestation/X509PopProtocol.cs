using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Spiffe.Agent.ServerApi.Attestation;

/// <summary>
/// The x509pop node-attestation wire formats (SPIRE's Go JSON encoding: byte slices as standard padded base64,
/// absent challenge kinds as <c>null</c>) and the proof-of-possession signature over
/// SHA-256(challenge nonce ‖ response nonce).
/// </summary>
internal static class X509PopProtocol
{
    /// <summary>The length of both nonces.</summary>
    public const int NonceLength = 32;

    private static readonly JsonWriterOptions s_writerOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Returns the attestation payload <c>{"certificates":["&lt;base64 DER&gt;",…]}</c>, leaf first.</summary>
    public static byte[] CreatePayload(IReadOnlyList<X509Certificate2> chain)
    {
        ArgumentNullException.ThrowIfNull(chain);
        return Write(writer =>
        {
            writer.WriteStartObject();
            writer.WriteStartArray("certificates");
            foreach (var certificate in chain)
            {
                writer.WriteStringValue(Convert.ToBase64String(certificate.RawDataMemory.Span));
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        });
    }

    /// <summary>Answers a challenge with a fresh random response nonce.</summary>
    /// <exception cref="FormatException">The challenge is malformed or of the wrong kind for the key.</exception>
    public static byte[] CreateResponse(ReadOnlySpan<byte> challengeJson, AsymmetricAlgorithm privateKey)
    {
        Span<byte> nonce = stackalloc byte[NonceLength];
        RandomNumberGenerator.Fill(nonce);
        return CreateResponse(challengeJson, privateKey, nonce);
    }

    /// <summary>Answers a challenge with the given response nonce (32 bytes).</summary>
    /// <exception cref="FormatException">The challenge is malformed or of the wrong kind for the key.</exception>
    public static byte[] CreateResponse(ReadOnlySpan<byte> challengeJson, AsymmetricAlgorithm privateKey, ReadOnlySpan<byte> responseNonce)
    {
        ArgumentNullException.ThrowIfNull(privateKey);
        if (responseNonce.Length != NonceLength)
        {
            throw new ArgumentException("the response nonce must be 32 bytes", nameof(responseNonce));
        }

        var kind = privateKey switch
        {
            ECDsa => "ecdsa_signature",
            RSA => "rsa_signature",
            _ => throw new ArgumentException("the x509pop key must be ECDSA or RSA", nameof(privateKey)),
        };
        var challengeNonce = ReadChallengeNonce(challengeJson, kind);
        var digest = CombineNonces(challengeNonce, responseNonce);
        var nonceText = Convert.ToBase64String(responseNonce);
        if (privateKey is ECDsa ecdsa)
        {
            var signature = ecdsa.SignHash(digest, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
            var half = signature.Length / 2;
            var r = TrimLeadingZeros(signature.AsSpan(0, half)).ToArray();
            var s = TrimLeadingZeros(signature.AsSpan(half)).ToArray();
            return Write(writer =>
            {
                writer.WriteStartObject();
                writer.WriteNull("rsa_signature");
                writer.WriteStartObject("ecdsa_signature");
                writer.WriteString("nonce", nonceText);
                writer.WriteString("r", Convert.ToBase64String(r));
                writer.WriteString("s", Convert.ToBase64String(s));
                writer.WriteEndObject();
                writer.WriteEndObject();
            });
        }

        var rsaSignature = ((RSA)privateKey).SignHash(digest, HashAlgorithmName.SHA256, RSASignaturePadding.Pss);
        return Write(writer =>
        {
            writer.WriteStartObject();
            writer.WriteStartObject("rsa_signature");
            writer.WriteString("nonce", nonceText);
            writer.WriteString("signature", Convert.ToBase64String(rsaSignature));
            writer.WriteEndObject();
            writer.WriteNull("ecdsa_signature");
            writer.WriteEndObject();
        });
    }

    /// <summary>SHA-256 over the challenge nonce followed by the response nonce.</summary>
    internal static byte[] CombineNonces(ReadOnlySpan<byte> challengeNonce, ReadOnlySpan<byte> responseNonce)
    {
        Span<byte> combined = stackalloc byte[NonceLength * 2];
        challengeNonce.CopyTo(combined);
        responseNonce.CopyTo(combined[NonceLength..]);
        return SHA256.HashData(combined);
    }

    private static byte[] ReadChallengeNonce(ReadOnlySpan<byte> challengeJson, string kind)
    {
        try
        {
            var reader = new Utf8JsonReader(challengeJson);
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty(kind, out var challenge)
                || challenge.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException($"x509pop challenge has no \"{kind}\" object for this key type");
            }

            if (!challenge.TryGetProperty("nonce", out var nonceElement) || nonceElement.ValueKind != JsonValueKind.String)
            {
                throw new FormatException("x509pop challenge has no nonce");
            }

            var nonce = Convert.FromBase64String(nonceElement.GetString()!);
            return nonce.Length == NonceLength
                ? nonce
                : throw new FormatException($"x509pop challenge nonce must be {NonceLength} bytes, got {nonce.Length}");
        }
        catch (JsonException ex)
        {
            throw new FormatException("x509pop challenge is not valid JSON: " + ex.Message, ex);
        }
    }

    private static ReadOnlySpan<byte> TrimLeadingZeros(ReadOnlySpan<byte> value)
    {
        var start = value.IndexOfAnyExcept((byte)0);
        return start < 0 ? [] : value[start..];
    }

    private static byte[] Write(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, s_writerOptions))
        {
            write(writer);
        }

        return buffer.ToArray();
    }
}
