using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Spiffe.Core;

/// <summary>
/// The SPIFFE JWS algorithm allow-list (RS256/384/512, PS256/384/512, ES256/384/512) with signing and
/// verification in JWS form: ECDSA signatures are IEEE P1363 r‖s, RSA-PSS uses a salt as long as the hash.
/// </summary>
internal static class JwsAlgorithms
{
    /// <summary>The allow-list, for messages.</summary>
    public const string AllowedList = "RS256/384/512, PS256/384/512, ES256/384/512";

    /// <summary>Whether <paramref name="algorithm"/> is on the allow-list (case-sensitive).</summary>
    public static bool IsAllowed(string? algorithm) =>
        algorithm is "RS256" or "RS384" or "RS512" or "PS256" or "PS384" or "PS512" or "ES256" or "ES384" or "ES512";

    /// <summary>The JOSE curve an ES* algorithm needs, or null for RS*/PS*.</summary>
    public static string? CurveOf(string algorithm) => algorithm switch
    {
        "ES256" => "P-256",
        "ES384" => "P-384",
        "ES512" => "P-521",
        _ => null,
    };

    /// <summary>
    /// Why an allowed algorithm cannot be used with a public key (ES* needs an EC key on its curve, RS*/PS* an RSA
    /// key), or null when it fits.
    /// </summary>
    public static string? Misfit(string algorithm, PublicKey key)
    {
        if (CurveOf(algorithm) is { } expectedCurve)
        {
            using var ecdsa = key.GetECDsaPublicKey();
            if (ecdsa is null)
            {
                return $"algorithm {algorithm} needs an EC key, got {KeyTypeName(key)}";
            }

            var curve = KeyAlgorithms.JoseCurveName(ecdsa.ExportParameters(false).Curve);
            return curve == expectedCurve ? null : $"algorithm {algorithm} needs a {expectedCurve} key, got {curve ?? "another curve"}";
        }

        using var rsa = key.GetRSAPublicKey();
        return rsa is null ? $"algorithm {algorithm} needs an RSA key, got {KeyTypeName(key)}" : null;
    }

    /// <summary>Signs <paramref name="data"/> with an allowed algorithm; the key must fit it.</summary>
    public static byte[] Sign(AsymmetricAlgorithm key, string algorithm, byte[] data) => (algorithm[..2], key) switch
    {
        ("ES", ECDsa ecdsa) => ecdsa.SignData(data, HashOf(algorithm), DSASignatureFormat.IeeeP1363FixedFieldConcatenation),
        ("RS", RSA rsa) => rsa.SignData(data, HashOf(algorithm), RSASignaturePadding.Pkcs1),
        ("PS", RSA rsa) => rsa.SignData(data, HashOf(algorithm), RSASignaturePadding.Pss),
        _ => throw new ArgumentException($"algorithm {algorithm} does not fit the key", nameof(key)),
    };

    /// <summary>
    /// Verifies a JWS signature. The algorithm must already be known to fit the key (<see cref="Misfit"/>); an ECDSA
    /// signature of the wrong length is invalid.
    /// </summary>
    public static bool Verify(PublicKey key, string algorithm, byte[] data, byte[] signature)
    {
        if (CurveOf(algorithm) is { } curve)
        {
            using var ecdsa = key.GetECDsaPublicKey()!;
            return signature.Length == 2 * KeyAlgorithms.CoordinateLength(curve)
                && ecdsa.VerifyData(data, signature, HashOf(algorithm), DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        }

        using var rsa = key.GetRSAPublicKey()!;
        var padding = algorithm.StartsWith("PS", StringComparison.Ordinal) ? RSASignaturePadding.Pss : RSASignaturePadding.Pkcs1;
        return rsa.VerifyData(data, signature, HashOf(algorithm), padding);
    }

    private static HashAlgorithmName HashOf(string algorithm) => algorithm[2..] switch
    {
        "256" => HashAlgorithmName.SHA256,
        "384" => HashAlgorithmName.SHA384,
        _ => HashAlgorithmName.SHA512,
    };

    private static string KeyTypeName(PublicKey key) => key.Oid.Value switch
    {
        KeyAlgorithms.EcPublicKeyOid => "an EC key",
        KeyAlgorithms.RsaPublicKeyOid => "an RSA key",
        _ => "a key of type " + key.Oid.Value,
    };
}
