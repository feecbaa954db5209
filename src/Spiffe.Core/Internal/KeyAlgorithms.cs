using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Spiffe.Core;

/// <summary>Key type facts and public-key comparison shared by SVIDs, bundles and JWKs.</summary>
internal static class KeyAlgorithms
{
    public const string EcPublicKeyOid = "1.2.840.10045.2.1";
    public const string RsaPublicKeyOid = "1.2.840.113549.1.1.1";

    private const string P256Oid = "1.2.840.10045.3.1.7";
    private const string P384Oid = "1.3.132.0.34";
    private const string P521Oid = "1.3.132.0.35";

    /// <summary>The JOSE name of a NIST curve (<c>P-256</c>, <c>P-384</c>, <c>P-521</c>), or null for any other curve.</summary>
    public static string? JoseCurveName(ECCurve curve) => (curve.Oid.Value, curve.Oid.FriendlyName) switch
    {
        (P256Oid, _) or (null, "nistP256" or "ECDSA_P256" or "secp256r1") => "P-256",
        (P384Oid, _) or (null, "nistP384" or "ECDSA_P384" or "secp384r1") => "P-384",
        (P521Oid, _) or (null, "nistP521" or "ECDSA_P521" or "secp521r1") => "P-521",
        _ => null,
    };

    /// <summary>The named curve for a JOSE curve name, or null for an unsupported name.</summary>
    public static ECCurve? CurveFromJoseName(string name) => name switch
    {
        "P-256" => ECCurve.NamedCurves.nistP256,
        "P-384" => ECCurve.NamedCurves.nistP384,
        "P-521" => ECCurve.NamedCurves.nistP521,
        _ => null,
    };

    /// <summary>The coordinate length in bytes for a JOSE curve name.</summary>
    public static int CoordinateLength(string joseCurve) => joseCurve switch
    {
        "P-256" => 32,
        "P-384" => 48,
        _ => 66,
    };

    /// <summary>Whether two EC or RSA public keys have the same algorithm and parameters.</summary>
    public static bool PublicKeysEqual(PublicKey a, PublicKey b)
    {
        switch (a.Oid.Value)
        {
            case EcPublicKeyOid:
            {
                using var ecdsa = a.GetECDsaPublicKey();
                return ecdsa is not null && PublicKeyMatches(b, ecdsa);
            }

            case RsaPublicKeyOid:
            {
                using var rsa = a.GetRSAPublicKey();
                return rsa is not null && PublicKeyMatches(b, rsa);
            }

            default:
                return false;
        }
    }

    /// <summary>Whether the public half of an EC or RSA key equals the given public key.</summary>
    public static bool PublicKeyMatches(PublicKey publicKey, AsymmetricAlgorithm key)
    {
        switch (key)
        {
            case ECDsa ecdsa when publicKey.Oid.Value == EcPublicKeyOid:
            {
                using var other = publicKey.GetECDsaPublicKey();
                return other is not null && EcEqual(other.ExportParameters(false), ecdsa.ExportParameters(false));
            }

            case RSA rsa when publicKey.Oid.Value == RsaPublicKeyOid:
            {
                using var other = publicKey.GetRSAPublicKey();
                return other is not null && RsaEqual(other.ExportParameters(false), rsa.ExportParameters(false));
            }

            default:
                return false;
        }
    }

    private static bool EcEqual(ECParameters a, ECParameters b) =>
        JoseCurveName(a.Curve) is { } curve
        && curve == JoseCurveName(b.Curve)
        && a.Q.X.AsSpan().SequenceEqual(b.Q.X)
        && a.Q.Y.AsSpan().SequenceEqual(b.Q.Y);

    private static bool RsaEqual(RSAParameters a, RSAParameters b) =>
        a.Modulus.AsSpan().SequenceEqual(b.Modulus) && a.Exponent.AsSpan().SequenceEqual(b.Exponent);
}
