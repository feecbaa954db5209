using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Spiffe.Server.Ca;

/// <summary>
/// Reads a PKCS#10 CertificationRequest (RFC 2986) just far enough to return its public key after verifying the
/// request's self-signature; subject and attributes are ignored (the SVID's identity comes from the entry). Accepts
/// EC P-256/P-384/P-521 and RSA ≥ 2048 keys with ECDSA or RSA PKCS#1 v1.5 signatures over SHA-256/384/512.
/// </summary>
internal static class CsrParser
{
    private const string EcPublicKey = "1.2.840.10045.2.1";
    private const string RsaEncryption = "1.2.840.113549.1.1.1";

    /// <summary>Returns the verified public key of <paramref name="csr"/>.</summary>
    /// <exception cref="CryptographicException">The CSR is malformed, uses an unsupported key or algorithm, or its signature does not verify.</exception>
    public static PublicKey Parse(ReadOnlyMemory<byte> csr)
    {
        try
        {
            return ParseCore(csr);
        }
        catch (AsnContentException ex)
        {
            throw new CryptographicException("CSR is not valid DER: " + ex.Message, ex);
        }
    }

    private static PublicKey ParseCore(ReadOnlyMemory<byte> csr)
    {
        if (csr.IsEmpty)
        {
            throw new CryptographicException("CSR is empty");
        }

        var outer = new AsnReader(csr, AsnEncodingRules.DER);
        var request = outer.ReadSequence();
        outer.ThrowIfNotEmpty();
        var info = request.ReadEncodedValue();
        var algorithm = request.ReadSequence();
        var signatureOid = algorithm.ReadObjectIdentifier();
        var signature = request.ReadBitString(out var unusedBits);
        request.ThrowIfNotEmpty();
        if (unusedBits != 0)
        {
            throw new CryptographicException("CSR signature has unused bits");
        }

        var infoReader = new AsnReader(info, AsnEncodingRules.DER).ReadSequence();
        if (!infoReader.TryReadInt32(out var version) || version != 0)
        {
            throw new CryptographicException("CSR version must be 0");
        }

        infoReader.ReadEncodedValue();
        var spki = infoReader.ReadEncodedValue();
        var spkiReader = new AsnReader(spki, AsnEncodingRules.DER).ReadSequence();
        var keyAlgorithm = spkiReader.ReadSequence().ReadObjectIdentifier();
        (HashAlgorithmName hash, bool isRsaSignature) = signatureOid switch
        {
            "1.2.840.10045.4.3.2" => (HashAlgorithmName.SHA256, false),
            "1.2.840.10045.4.3.3" => (HashAlgorithmName.SHA384, false),
            "1.2.840.10045.4.3.4" => (HashAlgorithmName.SHA512, false),
            "1.2.840.113549.1.1.11" => (HashAlgorithmName.SHA256, true),
            "1.2.840.113549.1.1.12" => (HashAlgorithmName.SHA384, true),
            "1.2.840.113549.1.1.13" => (HashAlgorithmName.SHA512, true),
            _ => throw new CryptographicException($"CSR signature algorithm {signatureOid} is not supported"),
        };

        bool valid;
        switch (keyAlgorithm)
        {
            case EcPublicKey when !isRsaSignature:
                using (var ec = ECDsa.Create())
                {
                    ec.ImportSubjectPublicKeyInfo(spki.Span, out _);
                    if (ec.KeySize is not (256 or 384 or 521))
                    {
                        throw new CryptographicException("CSR EC key must be P-256, P-384 or P-521");
                    }

                    valid = ec.VerifyData(info.Span, signature, hash, DSASignatureFormat.Rfc3279DerSequence);
                }

                break;
            case RsaEncryption when isRsaSignature:
                using (var rsa = RSA.Create())
                {
                    rsa.ImportSubjectPublicKeyInfo(spki.Span, out _);
                    if (rsa.KeySize < 2048)
                    {
                        throw new CryptographicException("CSR RSA key must be at least 2048 bits");
                    }

                    valid = rsa.VerifyData(info.Span, signature, hash, RSASignaturePadding.Pkcs1);
                }

                break;
            default:
                throw new CryptographicException($"CSR key type {keyAlgorithm} with signature {signatureOid} is not supported (EC or RSA only)");
        }

        if (!valid)
        {
            throw new CryptographicException("CSR signature does not verify");
        }

        return PublicKey.CreateFromSubjectPublicKeyInfo(spki.Span, out _);
    }
}
