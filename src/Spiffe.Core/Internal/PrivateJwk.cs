using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;

namespace Spiffe.Core;

/// <summary>
/// Conversion between RFC 7517/7518 private JSON Web Keys (EC with <c>d</c>; RSA with <c>d</c> and the CRT
/// members) and BCL key pairs. Reading checks that the private members belong to the public ones. Errors are
/// <see cref="FormatException"/>s for the caller to wrap with its own context.
/// </summary>
internal static class PrivateJwk
{
    private static readonly JsonDocumentOptions JsonOptions = new() { AllowDuplicateProperties = false };
    private static readonly byte[] ConsistencyProbe = Encoding.ASCII.GetBytes("spiffe private JWK consistency check");

    /// <summary>Reads a private JWK; <c>alg</c>, when present, must be allowed and fit the key.</summary>
    /// <returns>An <see cref="ECDsa"/> or <see cref="RSA"/> key pair and the JWK's <c>alg</c> (null when absent).</returns>
    public static (AsymmetricAlgorithm Key, string? Algorithm) Read(string json)
    {
        JsonElement jwk;
        try
        {
            using var document = JsonDocument.Parse(json, JsonOptions);
            jwk = document.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            throw new FormatException("private JWK is not valid JSON: " + ex.Message, ex);
        }

        if (jwk.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException("private JWK must be a JSON object");
        }

        if (jwk.TryGetProperty("k", out _) || jwk.TryGetProperty("oth", out _))
        {
            throw new FormatException("private JWK must not have \"k\" or \"oth\"");
        }

        AsymmetricAlgorithm key = Jwk.GetString(jwk, "kty") switch
        {
            "EC" => ReadEc(jwk),
            "RSA" => ReadRsa(jwk),
            var kty => throw new FormatException($"unsupported key type \"{kty}\""),
        };

        try
        {
            var algorithm = Jwk.GetString(jwk, "alg");
            if (algorithm is not null)
            {
                if (!JwsAlgorithms.IsAllowed(algorithm))
                {
                    throw new FormatException($"\"alg\" \"{algorithm}\" is not allowed ({JwsAlgorithms.AllowedList} only)");
                }

                if (JwsAlgorithms.Misfit(algorithm, new PublicKey(key)) is { } misfit)
                {
                    throw new FormatException("\"alg\" does not fit the key: " + misfit);
                }
            }

            CheckConsistent(key);
            return (key, algorithm);
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }

    /// <summary>Writes a key pair as a private JWK: <c>kty</c>, the public members, <c>alg</c> when given, then the private members.</summary>
    public static string Write(AsymmetricAlgorithm key, string? algorithm)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            Jwk.WritePublicKey(writer, new PublicKey(key));
            if (algorithm is not null)
            {
                writer.WriteString("alg", algorithm);
            }

            switch (key)
            {
                case ECDsa ecdsa:
                    writer.WriteString("d", Base64Strict.EncodeUrl(ecdsa.ExportParameters(true).D));
                    break;
                case RSA rsa:
                {
                    var p = rsa.ExportParameters(true);
                    WriteUnsigned(writer, "d", p.D!);
                    WriteUnsigned(writer, "p", p.P!);
                    WriteUnsigned(writer, "q", p.Q!);
                    WriteUnsigned(writer, "dp", p.DP!);
                    WriteUnsigned(writer, "dq", p.DQ!);
                    WriteUnsigned(writer, "qi", p.InverseQ!);
                    break;
                }
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static ECDsa ReadEc(JsonElement jwk)
    {
        var crv = Jwk.GetString(jwk, "crv") ?? throw new FormatException("EC key is missing \"crv\"");
        var curve = KeyAlgorithms.CurveFromJoseName(crv) ?? throw new FormatException($"unsupported curve \"{crv}\"");
        var length = KeyAlgorithms.CoordinateLength(crv);
        var parameters = new ECParameters
        {
            Curve = curve,
            Q = new ECPoint { X = ReadFixed(jwk, "x", length), Y = ReadFixed(jwk, "y", length) },
            D = ReadFixed(jwk, "d", length),
        };
        try
        {
            return ECDsa.Create(parameters);
        }
        catch (CryptographicException ex)
        {
            throw new FormatException("EC private key parameters are invalid", ex);
        }
    }

    private static RSA ReadRsa(JsonElement jwk)
    {
        var modulus = ReadUnsigned(jwk, "n");
        var half = (modulus.Length + 1) / 2;
        var parameters = new RSAParameters
        {
            Modulus = modulus,
            Exponent = ReadUnsigned(jwk, "e"),
            D = PadLeft(ReadUnsigned(jwk, "d"), modulus.Length, "d"),
            P = PadLeft(ReadUnsigned(jwk, "p"), half, "p"),
            Q = PadLeft(ReadUnsigned(jwk, "q"), half, "q"),
            DP = PadLeft(ReadUnsigned(jwk, "dp"), half, "dp"),
            DQ = PadLeft(ReadUnsigned(jwk, "dq"), half, "dq"),
            InverseQ = PadLeft(ReadUnsigned(jwk, "qi"), half, "qi"),
        };
        try
        {
            return RSA.Create(parameters);
        }
        catch (CryptographicException ex)
        {
            throw new FormatException("RSA private key parameters are invalid", ex);
        }
    }

    private static void CheckConsistent(AsymmetricAlgorithm key)
    {
        bool matches;
        try
        {
            matches = key switch
            {
                ECDsa ecdsa => ecdsa.VerifyData(ConsistencyProbe, ecdsa.SignData(ConsistencyProbe, HashAlgorithmName.SHA256), HashAlgorithmName.SHA256),
                RSA rsa => rsa.VerifyData(
                    ConsistencyProbe,
                    rsa.SignData(ConsistencyProbe, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
                    HashAlgorithmName.SHA256,
                    RSASignaturePadding.Pkcs1),
                _ => false,
            };
        }
        catch (CryptographicException ex)
        {
            throw new FormatException("the private members do not form a usable key", ex);
        }

        if (!matches)
        {
            throw new FormatException("the private members do not belong to the public key");
        }
    }

    private static byte[] ReadFixed(JsonElement jwk, string name, int length)
    {
        var text = Jwk.GetString(jwk, name) ?? throw new FormatException($"EC key is missing \"{name}\"");
        var value = Base64Strict.DecodeUrl(text, $"\"{name}\"");
        return value.Length == length
            ? value
            : throw new FormatException($"\"{name}\" must be {length} bytes, got {value.Length}");
    }

    private static byte[] ReadUnsigned(JsonElement jwk, string name)
    {
        var text = Jwk.GetString(jwk, name) ?? throw new FormatException($"RSA key is missing \"{name}\"");
        var value = Base64Strict.DecodeUrl(text, $"\"{name}\"");
        if (value.Length == 0)
        {
            throw new FormatException($"\"{name}\" is empty");
        }

        return value[0] != 0 ? value : throw new FormatException($"\"{name}\" must not have a leading zero octet");
    }

    private static byte[] PadLeft(byte[] value, int length, string name)
    {
        if (value.Length > length)
        {
            throw new FormatException($"\"{name}\" is longer than the modulus allows");
        }

        var padded = new byte[length];
        value.CopyTo(padded, length - value.Length);
        return padded;
    }

    private static void WriteUnsigned(Utf8JsonWriter writer, string name, byte[] value)
    {
        var start = Array.FindIndex(value, b => b != 0);
        writer.WriteString(name, Base64Strict.EncodeUrl(start < 0 ? value.AsSpan(value.Length - 1) : value.AsSpan(start)));
    }
}
