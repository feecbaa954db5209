using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Spiffe.Core;

namespace Spiffe.Server.Ca;

/// <summary>
/// Encodes and signs X509-SVID leaves for one CA with <see cref="AsnWriter"/>; the issuer-dependent parts (issuer
/// name, AKI, signature algorithm) are encoded once. Profile (spec checklist X-1…X-11): v3; random positive 16-octet
/// serial; subject C=US, O=SPIRE, x500UniqueIdentifier=&lt;random hex&gt;; extensions basicConstraints CA:false
/// (critical), keyUsage digitalSignature + keyAgreement (EC) or keyEncipherment (RSA) (critical), EKU
/// serverAuth+clientAuth, SAN (one URI, then DNS names), SKI, AKI = issuer SKI.
/// </summary>
internal sealed class LeafBuilder
{
    private static readonly byte[] BasicConstraintsValue = new X509BasicConstraintsExtension(false, false, 0, true).RawData;
    private static readonly byte[] EcKeyUsageValue = new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyAgreement, true).RawData;
    private static readonly byte[] RsaKeyUsageValue = new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true).RawData;
    private static readonly byte[] ExtendedKeyUsageValue = new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], false).RawData;

    private readonly byte[] _issuerName;
    private readonly byte[] _authorityKeyIdValue;
    private readonly byte[] _signatureAlgorithm;
    private readonly HashAlgorithmName _hash;
    private readonly AsymmetricAlgorithm _issuerKey;

    /// <summary>Prepares a builder for leaves issued by <paramref name="issuer"/> with <paramref name="issuerKey"/>.</summary>
    public LeafBuilder(X509Certificate2 issuer, AsymmetricAlgorithm issuerKey)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        _issuerKey = issuerKey ?? throw new ArgumentNullException(nameof(issuerKey));
        _issuerName = issuer.SubjectName.RawData;
        var ski = issuer.Extensions.OfType<X509SubjectKeyIdentifierExtension>().FirstOrDefault()
            ?? throw new InvalidOperationException("issuer certificate has no subject key identifier");
        _authorityKeyIdValue = X509AuthorityKeyIdentifierExtension.CreateFromSubjectKeyIdentifier(ski).RawData;
        _hash = CertificateTemplates.HashFor(issuerKey);
        var algorithm = new AsnWriter(AsnEncodingRules.DER);
        using (algorithm.PushSequence())
        {
            if (issuerKey is RSA)
            {
                algorithm.WriteObjectIdentifier(_hash == HashAlgorithmName.SHA384 ? "1.2.840.113549.1.1.12" : _hash == HashAlgorithmName.SHA512 ? "1.2.840.113549.1.1.13" : "1.2.840.113549.1.1.11");
                algorithm.WriteNull();
            }
            else
            {
                algorithm.WriteObjectIdentifier(_hash == HashAlgorithmName.SHA384 ? "1.2.840.10045.4.3.3" : _hash == HashAlgorithmName.SHA512 ? "1.2.840.10045.4.3.4" : "1.2.840.10045.4.3.2");
            }
        }

        _signatureAlgorithm = algorithm.Encode();
    }

    /// <summary>Encodes and signs a leaf; returns its DER and big-endian serial.</summary>
    public (byte[] Der, byte[] Serial) Build(PublicKey subjectKey, SpiffeId id, IEnumerable<string> dnsNames, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        ArgumentNullException.ThrowIfNull(subjectKey);
        var spki = subjectKey.ExportSubjectPublicKeyInfo();
        var isRsa = subjectKey.Oid.Value == "1.2.840.113549.1.1.1";
        var serial = SerialNumbers.New();
        var tbs = new AsnWriter(AsnEncodingRules.DER);
        using (tbs.PushSequence())
        {
            using (tbs.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true)))
            {
                tbs.WriteInteger(2);
            }

            tbs.WriteIntegerUnsigned(serial);
            tbs.WriteEncodedValue(_signatureAlgorithm);
            tbs.WriteEncodedValue(_issuerName);
            using (tbs.PushSequence())
            {
                WriteTime(tbs, notBefore);
                WriteTime(tbs, notAfter);
            }

            WriteSubject(tbs);
            tbs.WriteEncodedValue(spki);
            using (tbs.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 3, isConstructed: true)))
            using (tbs.PushSequence())
            {
                WriteExtension(tbs, "2.5.29.19", true, BasicConstraintsValue);
                WriteExtension(tbs, "2.5.29.15", true, isRsa ? RsaKeyUsageValue : EcKeyUsageValue);
                WriteExtension(tbs, "2.5.29.37", false, ExtendedKeyUsageValue);
                WriteExtension(tbs, "2.5.29.17", false, SanEncoder.Create(id, dnsNames).RawData);
                WriteExtension(tbs, "2.5.29.14", false, SubjectKeyIdValue(spki));
                WriteExtension(tbs, "2.5.29.35", false, _authorityKeyIdValue);
            }
        }

        var toBeSigned = tbs.Encode();
        var signature = _issuerKey switch
        {
            ECDsa ec => ec.SignData(toBeSigned, _hash, DSASignatureFormat.Rfc3279DerSequence),
            RSA rsa => rsa.SignData(toBeSigned, _hash, RSASignaturePadding.Pkcs1),
            _ => throw new NotSupportedException("unsupported CA key algorithm"),
        };
        var certificate = new AsnWriter(AsnEncodingRules.DER);
        using (certificate.PushSequence())
        {
            certificate.WriteEncodedValue(toBeSigned);
            certificate.WriteEncodedValue(_signatureAlgorithm);
            certificate.WriteBitString(signature);
        }

        return (certificate.Encode(), serial);
    }

    /// <summary>The SKI value (RFC 5280 §4.2.1.2 method 1: SHA-1 of the subjectPublicKey bits) as an OCTET STRING.</summary>
    private static byte[] SubjectKeyIdValue(byte[] spki)
    {
        var reader = new AsnReader(spki, AsnEncodingRules.DER).ReadSequence();
        reader.ReadSequence();
        var bits = reader.ReadBitString(out _);

        // SHA-1 is the key identifier method RFC 5280 names; it identifies, it does not protect.
#pragma warning disable CA5350
        var identifier = SHA1.HashData(bits);
#pragma warning restore CA5350
        var writer = new AsnWriter(AsnEncodingRules.DER);
        writer.WriteOctetString(identifier);
        return writer.Encode();
    }

    private static void WriteExtension(AsnWriter writer, string oid, bool critical, byte[] value)
    {
        using (writer.PushSequence())
        {
            writer.WriteObjectIdentifier(oid);
            if (critical)
            {
                writer.WriteBoolean(true);
            }

            writer.WriteOctetString(value);
        }
    }

    private static void WriteSubject(AsnWriter writer)
    {
        using (writer.PushSequence())
        {
            WriteAttribute(writer, "2.5.4.6", UniversalTagNumber.PrintableString, "US");
            WriteAttribute(writer, "2.5.4.10", UniversalTagNumber.UTF8String, "SPIRE");
            WriteAttribute(writer, "2.5.4.45", UniversalTagNumber.UTF8String, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)));
        }
    }

    private static void WriteAttribute(AsnWriter writer, string oid, UniversalTagNumber type, string value)
    {
        using (writer.PushSetOf())
        using (writer.PushSequence())
        {
            writer.WriteObjectIdentifier(oid);
            writer.WriteCharacterString(type, value);
        }
    }

    private static void WriteTime(AsnWriter writer, DateTimeOffset value)
    {
        var utc = value.ToUniversalTime();
        utc = new DateTimeOffset(utc.Ticks - (utc.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
        if (utc.Year is >= 1950 and < 2050)
        {
            writer.WriteUtcTime(utc);
        }
        else
        {
            writer.WriteGeneralizedTime(utc, omitFractionalSeconds: true);
        }
    }
}
