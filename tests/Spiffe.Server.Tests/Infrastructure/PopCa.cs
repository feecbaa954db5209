using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Spiffe.Server.Tests.Infrastructure;

/// <summary>A small X.509 CA for x509pop agent certificates and upstream authorities (not SPIFFE-specific).</summary>
internal sealed class PopCa
{
    private PopCa(X509Certificate2 certificate, AsymmetricAlgorithm key)
    {
        Certificate = certificate;
        Key = key;
    }

    /// <summary>The CA certificate.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>The CA key.</summary>
    public AsymmetricAlgorithm Key { get; }

    /// <summary>A self-signed root valid from <paramref name="now"/> − 1 h for <paramref name="lifetime"/> (default 10 days).</summary>
    public static PopCa CreateRoot(string commonName, DateTimeOffset now, TimeSpan? lifetime = null)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=" + commonName, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        var ski = new X509SubjectKeyIdentifierExtension(request.PublicKey, false);
        request.CertificateExtensions.Add(ski);
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromSubjectKeyIdentifier(ski));
        var certificate = request.CreateSelfSigned(now.AddHours(-1), now + (lifetime ?? TimeSpan.FromDays(10)));
        return new PopCa(X509CertificateLoader.LoadCertificate(certificate.RawData), key);
    }

    /// <summary>Writes the CA certificate as PEM and returns the path.</summary>
    public string WritePem(string path)
    {
        File.WriteAllText(path, Certificate.ExportCertificatePem() + "\n");
        return path;
    }

    /// <summary>Writes the CA key as PKCS#8 PEM and returns the path.</summary>
    public string WriteKeyPem(string path)
    {
        File.WriteAllText(path, Key.ExportPkcs8PrivateKeyPem() + "\n");
        return path;
    }

    /// <summary>Issues a leaf (key usage per <paramref name="usage"/>) for a new key of the given kind; returns the certificate and key.</summary>
    public (X509Certificate2 Certificate, AsymmetricAlgorithm Key) IssueLeaf(string commonName, DateTimeOffset now, bool rsa = false, X509KeyUsageFlags usage = X509KeyUsageFlags.DigitalSignature, IEnumerable<X509Extension>? extra = null)
    {
        AsymmetricAlgorithm key = rsa ? RSA.Create(2048) : ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = key is RSA r
            ? new CertificateRequest("CN=" + commonName, r, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            : new CertificateRequest("CN=" + commonName, (ECDsa)key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(usage, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Certificate, true, false));
        foreach (var e in extra ?? [])
        {
            request.CertificateExtensions.Add(e);
        }

        var serial = RandomNumberGenerator.GetBytes(9);
        serial[0] = 0x42;
        var certificate = request.Create(Certificate.SubjectName, X509SignatureGenerator.CreateForECDsa((ECDsa)Key), now.AddMinutes(-5), now.AddDays(1), serial);
        return (certificate, key);
    }

    /// <summary>Issues an intermediate CA signed by this one.</summary>
    public PopCa IssueIntermediate(string commonName, DateTimeOffset now)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=" + commonName, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Certificate, true, false));
        var certificate = request.Create(Certificate.SubjectName, X509SignatureGenerator.CreateForECDsa((ECDsa)Key), now.AddMinutes(-30), now.AddDays(5), RandomNumberGenerator.GetBytes(8));
        return new PopCa(X509CertificateLoader.LoadCertificate(certificate.RawData), key);
    }
}
