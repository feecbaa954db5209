using System.Security.Cryptography;
using Spiffe.Server.Config;

namespace Spiffe.Server.Ca;

/// <summary>Creates, exports and imports keys of the configured <see cref="KeyType"/>s.</summary>
internal static class KeyFactory
{
    /// <summary>Generates a key.</summary>
    public static AsymmetricAlgorithm Generate(KeyType type) => type switch
    {
        KeyType.EcP256 => ECDsa.Create(ECCurve.NamedCurves.nistP256),
        KeyType.EcP384 => ECDsa.Create(ECCurve.NamedCurves.nistP384),
        KeyType.Rsa2048 => RSA.Create(2048),
        KeyType.Rsa4096 => RSA.Create(4096),
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "unknown key type"),
    };

    /// <summary>The config spelling of <paramref name="type"/>.</summary>
    public static string Name(KeyType type) => type switch
    {
        KeyType.EcP256 => "ec-p256",
        KeyType.EcP384 => "ec-p384",
        KeyType.Rsa2048 => "rsa-2048",
        KeyType.Rsa4096 => "rsa-4096",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "unknown key type"),
    };

    /// <summary>Parses the config spelling of a key type.</summary>
    public static KeyType Parse(string name) => name switch
    {
        "ec-p256" => KeyType.EcP256,
        "ec-p384" => KeyType.EcP384,
        "rsa-2048" => KeyType.Rsa2048,
        "rsa-4096" => KeyType.Rsa4096,
        _ => throw new FormatException("unknown key type \"" + name + "\""),
    };

    /// <summary>Imports an unencrypted PKCS#8 key of <paramref name="type"/>.</summary>
    public static AsymmetricAlgorithm ImportPkcs8(KeyType type, byte[] pkcs8)
    {
        AsymmetricAlgorithm key = type is KeyType.EcP256 or KeyType.EcP384 ? ECDsa.Create() : RSA.Create();
        try
        {
            key.ImportPkcs8PrivateKey(pkcs8, out _);
            return key;
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }

    /// <summary>The SubjectPublicKeyInfo DER of a key.</summary>
    public static byte[] PublicKeyDer(AsymmetricAlgorithm key) => key.ExportSubjectPublicKeyInfo();

    /// <summary>The JWS algorithm for a signing key: ES256/ES384/ES512 by curve, RS256 for RSA.</summary>
    public static string JwsAlgorithm(AsymmetricAlgorithm key) => key switch
    {
        ECDsa ec => ec.KeySize switch
        {
            256 => "ES256",
            384 => "ES384",
            521 => "ES512",
            _ => throw new NotSupportedException("unsupported EC key size"),
        },
        RSA => "RS256",
        _ => throw new NotSupportedException("unsupported key algorithm"),
    };

    /// <summary>Signs <paramref name="data"/> as JWS <paramref name="algorithm"/> requires (ECDSA in IEEE P1363 form).</summary>
    public static byte[] SignJws(AsymmetricAlgorithm key, string algorithm, byte[] data) => (key, algorithm) switch
    {
        (ECDsa ec, "ES256") => ec.SignData(data, HashAlgorithmName.SHA256),
        (ECDsa ec, "ES384") => ec.SignData(data, HashAlgorithmName.SHA384),
        (ECDsa ec, "ES512") => ec.SignData(data, HashAlgorithmName.SHA512),
        (RSA rsa, "RS256") => rsa.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
        (RSA rsa, "PS256") => rsa.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pss),
        _ => throw new NotSupportedException("key does not fit JWS algorithm " + algorithm),
    };
}
