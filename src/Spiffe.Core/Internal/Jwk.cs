using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;

namespace Spiffe.Core;

/// <summary>
/// Conversion between RFC 7517 JSON Web Keys and BCL public keys, for EC (P-256, P-384, P-521) and RSA.
/// Reading is strict (RFC 7518): fixed-length EC coordinates on the curve, RSA integers without a leading zero
/// octet, unpadded base64url, and no private members. Errors are <see cref="FormatException"/>s for the caller
/// to wrap with its own context.
/// </summary>
internal static class Jwk
{
    private static readonly string[] PrivateMembers = ["d", "p", "q", "dp", "dq", "qi", "oth", "k"];

    /// <summary>Whether the JWK's <c>kty</c> is one this helper reads (<c>EC</c> or <c>RSA</c>).</summary>
    public static bool IsSupportedKeyType(string? kty) => kty is "EC" or "RSA";

    /// <summary>Reads an optional string member; a present member of another JSON type is an error.</summary>
    public static string? GetString(JsonElement obj, string name)
    {
        if (!obj.TryGetProperty(name, out var value))
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : throw new FormatException($"\"{name}\" must be a string");
    }

    /// <summary>Reads the public key of an <c>EC</c> or <c>RSA</c> JWK.</summary>
    public static PublicKey ReadPublicKey(JsonElement jwk)
    {
        foreach (var member in PrivateMembers)
        {
            if (jwk.TryGetProperty(member, out _))
            {
                throw new FormatException($"private key member \"{member}\" is not allowed");
            }
        }

        return GetString(jwk, "kty") switch
        {
            "EC" => ReadEc(jwk),
            "RSA" => ReadRsa(jwk),
            var kty => throw new FormatException($"unsupported key type \"{kty}\""),
        };
    }

    /// <summary>Writes the key members (<c>kty</c>, then <c>crv</c>/<c>x</c>/<c>y</c> or <c>n</c>/<c>e</c>) of an EC or RSA public key.</summary>
    public static void WritePublicKey(Utf8JsonWriter writer, PublicKey key)
    {
        switch (key.Oid.Value)
        {
            case KeyAlgorithms.EcPublicKeyOid:
            {
                using var ecdsa = key.GetECDsaPublicKey()!;
                var p = ecdsa.ExportParameters(false);
                var curve = KeyAlgorithms.JoseCurveName(p.Curve)
                    ?? throw new ArgumentException("EC key is not on P-256, P-384 or P-521", nameof(key));
                writer.WriteString("kty", "EC");
                writer.WriteString("crv", curve);
                writer.WriteString("x", Base64Strict.EncodeUrl(p.Q.X));
                writer.WriteString("y", Base64Strict.EncodeUrl(p.Q.Y));
                break;
            }

            case KeyAlgorithms.RsaPublicKeyOid:
            {
                using var rsa = key.GetRSAPublicKey()!;
                var p = rsa.ExportParameters(false);
                writer.WriteString("kty", "RSA");
                writer.WriteString("n", Base64Strict.EncodeUrl(p.Modulus));
                writer.WriteString("e", Base64Strict.EncodeUrl(p.Exponent));
                break;
            }

            default:
                throw new ArgumentException("only EC and RSA keys can be written as a JWK", nameof(key));
        }
    }

    /// <summary>Checks that a key is EC on a JOSE curve or RSA, as every JWK-carried key must be.</summary>
    public static void RequireSupported(PublicKey key, string paramName)
    {
        switch (key.Oid.Value)
        {
            case KeyAlgorithms.EcPublicKeyOid:
            {
                using var ecdsa = key.GetECDsaPublicKey();
                if (ecdsa is null || KeyAlgorithms.JoseCurveName(ecdsa.ExportParameters(false).Curve) is null)
                {
                    throw new ArgumentException("EC key is not on P-256, P-384 or P-521", paramName);
                }

                break;
            }

            case KeyAlgorithms.RsaPublicKeyOid:
                break;

            default:
                throw new ArgumentException("key is neither EC nor RSA", paramName);
        }
    }

    private static PublicKey ReadEc(JsonElement jwk)
    {
        var crv = GetString(jwk, "crv") ?? throw new FormatException("EC key is missing \"crv\"");
        var curve = KeyAlgorithms.CurveFromJoseName(crv) ?? throw new FormatException($"unsupported curve \"{crv}\"");
        var length = KeyAlgorithms.CoordinateLength(crv);
        var x = ReadFixed(jwk, "x", length);
        var y = ReadFixed(jwk, "y", length);
        try
        {
            using var ecdsa = ECDsa.Create(new ECParameters { Curve = curve, Q = new ECPoint { X = x, Y = y } });
            return new PublicKey(ecdsa);
        }
        catch (CryptographicException ex)
        {
            throw new FormatException("EC point is not on the curve " + crv, ex);
        }
    }

    private static byte[] ReadFixed(JsonElement jwk, string name, int length)
    {
        var text = GetString(jwk, name) ?? throw new FormatException($"EC key is missing \"{name}\"");
        var value = Base64Strict.DecodeUrl(text, $"\"{name}\"");
        return value.Length == length
            ? value
            : throw new FormatException($"\"{name}\" must be {length} bytes, got {value.Length}");
    }

    private static PublicKey ReadRsa(JsonElement jwk)
    {
        var n = ReadUnsigned(jwk, "n");
        var e = ReadUnsigned(jwk, "e");
        try
        {
            using var rsa = RSA.Create(new RSAParameters { Modulus = n, Exponent = e });
            return new PublicKey(rsa);
        }
        catch (CryptographicException ex)
        {
            throw new FormatException("RSA key parameters are invalid", ex);
        }
    }

    private static byte[] ReadUnsigned(JsonElement jwk, string name)
    {
        var text = GetString(jwk, name) ?? throw new FormatException($"RSA key is missing \"{name}\"");
        var value = Base64Strict.DecodeUrl(text, $"\"{name}\"");
        if (value.Length == 0)
        {
            throw new FormatException($"\"{name}\" is empty");
        }

        return value[0] != 0 ? value : throw new FormatException($"\"{name}\" must not have a leading zero octet");
    }
}
