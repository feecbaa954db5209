using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Spiffe.Core;

/// <summary>
/// The X509-SVID certificate rules shared by <see cref="X509Svid"/> parsing and <see cref="X509SvidVerifier"/>.
/// Every check throws <see cref="X509SvidException"/> with a message naming the rule.
/// </summary>
internal static class X509Rules
{
    private const string SubjectAltNameOid = "2.5.29.17";
    private const string BasicConstraintsOid = "2.5.29.19";
    private const string KeyUsageOid = "2.5.29.15";
    private const string ExtendedKeyUsageOid = "2.5.29.37";
    private const string SubjectKeyIdentifierOid = "2.5.29.14";
    private const string AuthorityKeyIdentifierOid = "2.5.29.35";
    private const string ServerAuthOid = "1.3.6.1.5.5.7.3.1";
    private const string ClientAuthOid = "1.3.6.1.5.5.7.3.2";
    private const int MaxSerialOctets = 20;

    private static readonly Asn1Tag UriTag = new(TagClass.ContextSpecific, 6);

    /// <summary>The DER encoding of an empty distinguished name (an empty SEQUENCE).</summary>
    private static ReadOnlySpan<byte> EmptyName => [0x30, 0x00];

    /// <summary>Extensions a validator must understand to accept them as critical (the set Go's parser knows).</summary>
    private static readonly HashSet<string> KnownCriticalExtensions = new(StringComparer.Ordinal)
    {
        SubjectAltNameOid, BasicConstraintsOid, KeyUsageOid, ExtendedKeyUsageOid,
        "2.5.29.30", // nameConstraints
        "2.5.29.32", // certificatePolicies
        "2.5.29.33", // policyMappings
        "2.5.29.36", // policyConstraints
        "2.5.29.54", // inhibitAnyPolicy
    };

    /// <summary>ecdsa-with-SHA256/384/512 and sha256/384/512WithRSAEncryption.</summary>
    private static readonly HashSet<string> AllowedSignatureAlgorithms = new(StringComparer.Ordinal)
    {
        "1.2.840.10045.4.3.2", "1.2.840.10045.4.3.3", "1.2.840.10045.4.3.4",
        "1.2.840.113549.1.1.11", "1.2.840.113549.1.1.12", "1.2.840.113549.1.1.13",
    };

    /// <summary>The URI SAN values exactly as encoded, never passed through <see cref="Uri"/>.</summary>
    public static List<string> ReadUriSans(X509Certificate2 certificate, string what)
    {
        var uris = new List<string>();
        var extension = Find(certificate, SubjectAltNameOid);
        if (extension is null)
        {
            return uris;
        }

        try
        {
            var reader = new AsnReader(extension.RawData, AsnEncodingRules.DER);
            var names = reader.ReadSequence();
            reader.ThrowIfNotEmpty();
            while (names.HasData)
            {
                if (names.PeekTag() == UriTag)
                {
                    uris.Add(names.ReadCharacterString(UniversalTagNumber.IA5String, UriTag));
                }
                else
                {
                    names.ReadEncodedValue();
                }
            }
        }
        catch (AsnContentException ex)
        {
            throw new X509SvidException($"{what} subjectAltName extension is malformed: {ex.Message}", ex);
        }

        return uris;
    }

    /// <summary>Reads the single URI SAN of a leaf as a SPIFFE ID with a non-root path.</summary>
    public static SpiffeId ReadLeafId(X509Certificate2 leaf)
    {
        var uris = ReadUriSans(leaf, "leaf");
        if (uris.Count != 1)
        {
            throw new X509SvidException(uris.Count == 0
                ? "leaf certificate has no URI SAN"
                : $"leaf certificate must have exactly one URI SAN, found {uris.Count}");
        }

        SpiffeId id;
        try
        {
            id = SpiffeId.Parse(uris[0]);
        }
        catch (SpiffeIdException ex)
        {
            throw new X509SvidException("leaf certificate URI SAN is not a valid SPIFFE ID: " + ex.Message, ex);
        }

        return id.IsRootPath
            ? throw new X509SvidException($"leaf certificate SPIFFE ID \"{id}\" must have a non-root path")
            : id;
    }

    /// <summary>The validator-side leaf rules: not a CA, and no keyCertSign or cRLSign.</summary>
    public static void CheckLeafIsNotCa(X509Certificate2 leaf)
    {
        if (ReadBasicConstraints(leaf, "leaf") is { CertificateAuthority: true })
        {
            throw new X509SvidException("leaf certificate must not be a CA (basicConstraints cA must be false)");
        }

        if (ReadKeyUsage(leaf, "leaf") is { } keyUsage)
        {
            CheckNoSigningUsages(keyUsage.Usages);
        }
    }

    /// <summary>All X509-SVID profile rules for a leaf certificate (X509-SVID §4 and the clients' parsers).</summary>
    public static SpiffeId CheckLeaf(X509Certificate2 leaf)
    {
        CheckCommon(leaf, "leaf");
        var id = ReadLeafId(leaf);

        var basicConstraints = ReadBasicConstraints(leaf, "leaf")
            ?? throw new X509SvidException("leaf certificate has no basicConstraints extension");
        if (basicConstraints.CertificateAuthority)
        {
            throw new X509SvidException("leaf certificate must not be a CA (basicConstraints cA must be false)");
        }

        if (basicConstraints.HasPathLengthConstraint)
        {
            throw new X509SvidException("leaf certificate basicConstraints must not set a path length");
        }

        var keyUsage = ReadKeyUsage(leaf, "leaf") ?? throw new X509SvidException("leaf certificate has no keyUsage extension");
        if (!keyUsage.Critical)
        {
            throw new X509SvidException("leaf certificate keyUsage extension must be critical");
        }

        if (!keyUsage.Usages.HasFlag(X509KeyUsageFlags.DigitalSignature))
        {
            throw new X509SvidException("leaf certificate keyUsage must include digitalSignature");
        }

        CheckNoSigningUsages(keyUsage.Usages);

        if (ReadExtendedKeyUsages(leaf) is { } values)
        {
            if (!values.Contains(ServerAuthOid) || !values.Contains(ClientAuthOid))
            {
                throw new X509SvidException("leaf certificate extendedKeyUsage must include serverAuth and clientAuth");
            }
        }

        if (leaf.SubjectName.RawData.AsSpan().SequenceEqual(EmptyName) && Find(leaf, SubjectAltNameOid) is { Critical: false })
        {
            throw new X509SvidException("leaf certificate has an empty subject, so its subjectAltName extension must be critical");
        }

        CheckLeafKeyType(leaf.PublicKey);
        return id;
    }

    /// <summary>All rules for a signing certificate after the leaf: a CA with keyCertSign, and a root-path URI SAN if any.</summary>
    public static void CheckIntermediate(X509Certificate2 certificate, int index, TrustDomain trustDomain)
    {
        var what = $"certificate {index}";
        CheckCommon(certificate, what);

        var basicConstraints = ReadBasicConstraints(certificate, what)
            ?? throw new X509SvidException($"signing {what} has no basicConstraints extension");
        if (!basicConstraints.CertificateAuthority)
        {
            throw new X509SvidException($"signing {what} must be a CA (basicConstraints cA must be true)");
        }

        if (!basicConstraints.Critical)
        {
            throw new X509SvidException($"signing {what} basicConstraints extension must be critical");
        }

        var keyUsage = ReadKeyUsage(certificate, what) ?? throw new X509SvidException($"signing {what} has no keyUsage extension");
        if (!keyUsage.Critical)
        {
            throw new X509SvidException($"signing {what} keyUsage extension must be critical");
        }

        if (!keyUsage.Usages.HasFlag(X509KeyUsageFlags.KeyCertSign))
        {
            throw new X509SvidException($"signing {what} keyUsage must include keyCertSign");
        }

        if (Find(certificate, SubjectKeyIdentifierOid) is null)
        {
            throw new X509SvidException($"signing {what} has no subjectKeyIdentifier extension");
        }

        if (certificate.SubjectName.RawData.AsSpan().SequenceEqual(EmptyName))
        {
            throw new X509SvidException($"signing {what} must have a non-empty subject");
        }

        var uris = ReadUriSans(certificate, what);
        if (uris.Count > 1)
        {
            throw new X509SvidException($"signing {what} must have at most one URI SAN, found {uris.Count}");
        }

        if (uris.Count == 1)
        {
            if (!SpiffeId.TryParse(uris[0], out var caId) || !caId.IsRootPath)
            {
                throw new X509SvidException($"signing {what} URI SAN \"{uris[0]}\" must be a trust domain ID (spiffe://trust-domain, no path)");
            }

            if (caId.TrustDomain != trustDomain)
            {
                throw new X509SvidException($"signing {what} URI SAN \"{uris[0]}\" is not in the leaf's trust domain \"{trustDomain}\"");
            }
        }
    }

    /// <summary>Checks that each certificate's authorityKeyIdentifier names the next certificate's subjectKeyIdentifier.</summary>
    public static void CheckKeyIdentifierLinks(IReadOnlyList<X509Certificate2> chain)
    {
        for (var i = 0; i + 1 < chain.Count; i++)
        {
            var aki = Find(chain[i], AuthorityKeyIdentifierOid);
            var ski = Find(chain[i + 1], SubjectKeyIdentifierOid);
            if (aki is null || ski is null)
            {
                continue;
            }

            var keyId = new X509AuthorityKeyIdentifierExtension(aki.RawData, aki.Critical).KeyIdentifier;
            var subjectKeyId = new X509SubjectKeyIdentifierExtension(ski, ski.Critical).SubjectKeyIdentifierBytes;
            if (keyId is { } id && !id.Span.SequenceEqual(subjectKeyId.Span))
            {
                throw new X509SvidException($"certificate {i} authorityKeyIdentifier does not match certificate {i + 1} subjectKeyIdentifier");
            }
        }
    }

    /// <summary>The signature algorithm rule: ECDSA or RSA PKCS#1 v1.5 with SHA-256/384/512.</summary>
    public static void CheckSignatureAlgorithm(X509Certificate2 certificate, string what)
    {
        if (!AllowedSignatureAlgorithms.Contains(certificate.SignatureAlgorithm.Value ?? string.Empty))
        {
            var name = certificate.SignatureAlgorithm.FriendlyName ?? certificate.SignatureAlgorithm.Value;
            throw new X509SvidException($"{what} signature algorithm {name} is not allowed (use ECDSA or RSA with SHA-256, SHA-384 or SHA-512)");
        }
    }

    /// <summary>Rules for every certificate of an SVID chain: v3, serial, signature algorithm, extensions.</summary>
    private static void CheckCommon(X509Certificate2 certificate, string what)
    {
        if (certificate.Version != 3)
        {
            throw new X509SvidException($"{what} must be an X.509 v3 certificate");
        }

        var serial = certificate.SerialNumberBytes.Span;
        if (serial.Length > MaxSerialOctets)
        {
            throw new X509SvidException($"{what} serial number is longer than {MaxSerialOctets} octets");
        }

        if ((serial[0] & 0x80) != 0 || !serial.ContainsAnyExcept((byte)0))
        {
            throw new X509SvidException($"{what} serial number must be positive");
        }

        CheckSignatureAlgorithm(certificate, what);

        if (Find(certificate, SubjectKeyIdentifierOid) is { Critical: true })
        {
            throw new X509SvidException($"{what} subjectKeyIdentifier extension must not be critical");
        }

        var selfIssued = certificate.SubjectName.RawData.AsSpan().SequenceEqual(certificate.IssuerName.RawData);
        switch (Find(certificate, AuthorityKeyIdentifierOid))
        {
            case null when !selfIssued:
                throw new X509SvidException($"{what} has no authorityKeyIdentifier extension");
            case { Critical: true }:
                throw new X509SvidException($"{what} authorityKeyIdentifier extension must not be critical");
            default:
                break;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var extension in certificate.Extensions)
        {
            var oid = extension.Oid?.Value ?? string.Empty;
            if (!seen.Add(oid))
            {
                throw new X509SvidException($"{what} has the extension {oid} more than once");
            }

            if (extension.Critical && !KnownCriticalExtensions.Contains(oid))
            {
                throw new X509SvidException($"{what} has an unsupported critical extension {oid}");
            }
        }
    }

    private static void CheckLeafKeyType(PublicKey key)
    {
        switch (key.Oid.Value)
        {
            case KeyAlgorithms.EcPublicKeyOid:
            {
                using var ecdsa = key.GetECDsaPublicKey();
                var curve = ecdsa is null ? null : KeyAlgorithms.JoseCurveName(ecdsa.ExportParameters(false).Curve);
                if (curve is not ("P-256" or "P-384"))
                {
                    throw new X509SvidException("leaf certificate EC key must be on P-256 or P-384");
                }

                break;
            }

            case KeyAlgorithms.RsaPublicKeyOid:
            {
                using var rsa = key.GetRSAPublicKey();
                if (rsa is null || rsa.KeySize < 2048)
                {
                    throw new X509SvidException("leaf certificate RSA key must be at least 2048 bits");
                }

                break;
            }

            default:
                throw new X509SvidException($"leaf certificate key type {key.Oid.FriendlyName ?? key.Oid.Value} is not supported (use EC P-256/P-384 or RSA)");
        }
    }

    private static void CheckNoSigningUsages(X509KeyUsageFlags usages)
    {
        if (usages.HasFlag(X509KeyUsageFlags.KeyCertSign))
        {
            throw new X509SvidException("leaf certificate keyUsage must not include keyCertSign");
        }

        if (usages.HasFlag(X509KeyUsageFlags.CrlSign))
        {
            throw new X509SvidException("leaf certificate keyUsage must not include cRLSign");
        }
    }

    private static BasicConstraints? ReadBasicConstraints(X509Certificate2 certificate, string what)
    {
        if (Find(certificate, BasicConstraintsOid) is not { } extension)
        {
            return null;
        }

        try
        {
            var decoded = new X509BasicConstraintsExtension(extension, extension.Critical);
            return new BasicConstraints(extension.Critical, decoded.CertificateAuthority, decoded.HasPathLengthConstraint);
        }
        catch (CryptographicException ex)
        {
            throw new X509SvidException($"{what} basicConstraints extension is malformed: {ex.Message}", ex);
        }
    }

    private static KeyUsage? ReadKeyUsage(X509Certificate2 certificate, string what)
    {
        if (Find(certificate, KeyUsageOid) is not { } extension)
        {
            return null;
        }

        try
        {
            return new KeyUsage(extension.Critical, new X509KeyUsageExtension(extension, extension.Critical).KeyUsages);
        }
        catch (CryptographicException ex)
        {
            throw new X509SvidException($"{what} keyUsage extension is malformed: {ex.Message}", ex);
        }
    }

    private static HashSet<string>? ReadExtendedKeyUsages(X509Certificate2 certificate)
    {
        if (Find(certificate, ExtendedKeyUsageOid) is not { } extension)
        {
            return null;
        }

        try
        {
            var usages = new X509EnhancedKeyUsageExtension(extension, extension.Critical).EnhancedKeyUsages;
            return usages.Cast<Oid>().Select(o => o.Value ?? string.Empty).ToHashSet(StringComparer.Ordinal);
        }
        catch (CryptographicException ex)
        {
            throw new X509SvidException($"leaf extendedKeyUsage extension is malformed: {ex.Message}", ex);
        }
    }

    private static X509Extension? Find(X509Certificate2 certificate, string oid)
    {
        foreach (var extension in certificate.Extensions)
        {
            if (extension.Oid?.Value == oid)
            {
                return extension;
            }
        }

        return null;
    }

    private readonly record struct BasicConstraints(bool Critical, bool CertificateAuthority, bool HasPathLengthConstraint);

    private readonly record struct KeyUsage(bool Critical, X509KeyUsageFlags Usages);
}
