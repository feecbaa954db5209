using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Spiffe.Core;
using Spiffe.Server.Config;

namespace Spiffe.Server.Ca;

/// <summary>
/// Builds CA certificates with exactly the extensions the SPIFFE signing-certificate profile requires (spec
/// checklist X-12…X-17; <see cref="CertificateRequest"/> adds none on its own). Leaves: <see cref="LeafBuilder"/>.
/// </summary>
internal static class CertificateTemplates
{
    /// <summary>How far notBefore is set before the signing time, as SPIRE does (clock skew).</summary>
    public static readonly TimeSpan Backdate = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Creates a CA certificate for <paramref name="subjectKey"/>: self-signed when <paramref name="issuer"/> is
    /// null (then <paramref name="issuerKey"/> is the subject's own key). basicConstraints CA:true (critical), keyUsage
    /// keyCertSign+cRLSign (critical), SKI, AKI, URI SAN <c>spiffe://&lt;td&gt;</c>.
    /// </summary>
    public static X509Certificate2 CreateCa(
        PublicKey subjectKey,
        TrustDomain trustDomain,
        CaSubject subject,
        X509Certificate2? issuer,
        AsymmetricAlgorithm issuerKey,
        DateTimeOffset notBefore,
        DateTimeOffset notAfter)
    {
        ArgumentNullException.ThrowIfNull(subjectKey);
        ArgumentNullException.ThrowIfNull(subject);
        var serial = SerialNumbers.New();
        var names = new X500DistinguishedNameBuilder();
        foreach (var country in subject.Country)
        {
            names.AddCountryOrRegion(country);
        }

        foreach (var organization in subject.Organization)
        {
            names.AddOrganizationName(organization);
        }

        if (subject.CommonName.Length > 0)
        {
            names.AddCommonName(subject.CommonName);
        }

        // A per-certificate serialNumber attribute keeps rotated CA subjects distinct (and the subject non-empty).
        names.Add("2.5.4.5", SerialNumbers.ToDecimal(serial), UniversalTagNumber.PrintableString);
        var subjectName = names.Build();
        var request = new CertificateRequest(subjectName, subjectKey, HashFor(issuerKey), PaddingFor(issuerKey));
        var ski = new X509SubjectKeyIdentifierExtension(subjectKey, false);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(SanEncoder.Create(trustDomain.Id, []));
        request.CertificateExtensions.Add(ski);
        request.CertificateExtensions.Add(issuer is null
            ? X509AuthorityKeyIdentifierExtension.CreateFromSubjectKeyIdentifier(ski)
            : AuthorityKeyId(issuer));
        var issuerName = issuer?.SubjectName ?? subjectName;
        var end = issuer is null ? notAfter : Cap(notAfter, issuer);
        return request.Create(issuerName, Generator(issuerKey), notBefore, end, serial);
    }

    /// <summary>The signature hash for an issuing key: SHA-384 for P-384, SHA-512 for P-521, SHA-256 otherwise.</summary>
    public static HashAlgorithmName HashFor(AsymmetricAlgorithm key) => key switch
    {
        ECDsa { KeySize: 384 } => HashAlgorithmName.SHA384,
        ECDsa { KeySize: 521 } => HashAlgorithmName.SHA512,
        _ => HashAlgorithmName.SHA256,
    };

    private static RSASignaturePadding? PaddingFor(AsymmetricAlgorithm key) => key is RSA ? RSASignaturePadding.Pkcs1 : null;

    private static X509SignatureGenerator Generator(AsymmetricAlgorithm key) => key switch
    {
        ECDsa ec => X509SignatureGenerator.CreateForECDsa(ec),
        RSA rsa => X509SignatureGenerator.CreateForRSA(rsa, RSASignaturePadding.Pkcs1),
        _ => throw new NotSupportedException("unsupported CA key algorithm"),
    };

    private static X509AuthorityKeyIdentifierExtension AuthorityKeyId(X509Certificate2 issuer)
    {
        var ski = issuer.Extensions.OfType<X509SubjectKeyIdentifierExtension>().FirstOrDefault()
            ?? throw new InvalidOperationException("issuer certificate has no subject key identifier");
        return X509AuthorityKeyIdentifierExtension.CreateFromSubjectKeyIdentifier(ski);
    }

    private static DateTimeOffset Cap(DateTimeOffset notAfter, X509Certificate2 issuer)
    {
        var issuerEnd = new DateTimeOffset(issuer.NotAfter.ToUniversalTime(), TimeSpan.Zero);
        return notAfter > issuerEnd ? issuerEnd : notAfter;
    }
}
