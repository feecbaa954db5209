using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Spiffe.Testing;

/// <summary>Signs certificates with sha1WithRSAEncryption, which the BCL generators refuse; for rejection tests only.</summary>
internal sealed class Sha1RsaSignatureGenerator : X509SignatureGenerator
{
    private readonly RSA key;

    public Sha1RsaSignatureGenerator(RSA key)
    {
        this.key = key;
    }

    public override byte[] GetSignatureAlgorithmIdentifier(HashAlgorithmName hashAlgorithm)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteObjectIdentifier("1.2.840.113549.1.1.5");
            writer.WriteNull();
        }

        return writer.Encode();
    }

    public override byte[] SignData(byte[] data, HashAlgorithmName hashAlgorithm) =>
        this.key.SignData(data, HashAlgorithmName.SHA1, RSASignaturePadding.Pkcs1);

    protected override PublicKey BuildPublicKey() => new(this.key);
}
