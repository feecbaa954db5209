using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Spiffe.Testing;

/// <summary>Key generation and signature generators for test certificates and tokens.</summary>
public static class TestKeys
{
    /// <summary>Generates a key pair.</summary>
    /// <param name="type">The key type.</param>
    /// <returns>An <see cref="ECDsa"/> or <see cref="RSA"/> key pair.</returns>
    public static AsymmetricAlgorithm Create(TestKeyType type) => type switch
    {
        TestKeyType.EcP256 => ECDsa.Create(ECCurve.NamedCurves.nistP256),
        TestKeyType.EcP384 => ECDsa.Create(ECCurve.NamedCurves.nistP384),
        TestKeyType.EcP521 => ECDsa.Create(ECCurve.NamedCurves.nistP521),
        TestKeyType.Rsa2048 => RSA.Create(2048),
        TestKeyType.Rsa1024 => RSA.Create(1024),
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    /// <summary>The public key of a key pair.</summary>
    /// <param name="key">An <see cref="ECDsa"/> or <see cref="RSA"/> key.</param>
    /// <returns>The public key.</returns>
    public static PublicKey PublicKeyOf(AsymmetricAlgorithm key) => new(key);

    /// <summary>
    /// A public key of a type X509-SVIDs do not allow (Ed25519), for certificates that must be rejected.
    /// The private half is not kept.
    /// </summary>
    /// <returns>An Ed25519 public key.</returns>
    public static PublicKey CreateEd25519PublicKey()
    {
        byte[] spki = [0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00, .. RandomNumberGenerator.GetBytes(32)];
        return PublicKey.CreateFromSubjectPublicKeyInfo(spki, out _);
    }

    /// <summary>A signature generator for certificates signed with the given key (RSA uses PKCS#1 v1.5).</summary>
    /// <param name="key">The issuer key.</param>
    /// <returns>The generator.</returns>
    public static X509SignatureGenerator SignatureGenerator(AsymmetricAlgorithm key) => key switch
    {
        ECDsa ecdsa => X509SignatureGenerator.CreateForECDsa(ecdsa),
        RSA rsa => X509SignatureGenerator.CreateForRSA(rsa, RSASignaturePadding.Pkcs1),
        _ => throw new ArgumentException("unsupported key type", nameof(key)),
    };
}
