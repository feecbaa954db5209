using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Spiffe.Server.Config;

namespace Spiffe.Server.Ca;

/// <summary>
/// <c>UpstreamAuthority "disk"</c>: a CA key and certificate on disk that sign the server's CA (which becomes an
/// intermediate). The certificate file holds the signing certificate first, optionally followed by its chain. The
/// bundle gets <c>bundle_file_path</c>'s certificates, or else the self-signed certificates of that chain.
/// </summary>
internal sealed class UpstreamAuthority
{
    private UpstreamAuthority(AsymmetricAlgorithm key, X509Certificate2 certificate, IReadOnlyList<X509Certificate2> intermediates, IReadOnlyList<X509Certificate2> roots)
    {
        Key = key;
        Certificate = certificate;
        Intermediates = intermediates;
        Roots = roots;
    }

    /// <summary>The upstream signing key.</summary>
    public AsymmetricAlgorithm Key { get; }

    /// <summary>The upstream signing certificate.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>Certificates between the server CA and the root: the signing certificate unless it is the root, then the rest of the file's chain except roots.</summary>
    public IReadOnlyList<X509Certificate2> Intermediates { get; }

    /// <summary>The trust anchors to publish.</summary>
    public IReadOnlyList<X509Certificate2> Roots { get; }

    /// <summary>Loads the files named in <paramref name="config"/>.</summary>
    /// <exception cref="InvalidOperationException">A file is missing or malformed, or the key does not match the certificate.</exception>
    public static UpstreamAuthority Load(UpstreamAuthorityConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var chain = LoadCertificates(config.CertFilePath);
        if (chain.Count == 0)
        {
            throw new InvalidOperationException($"UpstreamAuthority \"disk\": no certificate in \"{config.CertFilePath}\"");
        }

        var certificate = chain[0];
        if (!certificate.Extensions.OfType<X509BasicConstraintsExtension>().Any(b => b.CertificateAuthority))
        {
            throw new InvalidOperationException($"UpstreamAuthority \"disk\": \"{config.CertFilePath}\" is not a CA certificate");
        }

        AsymmetricAlgorithm key;
        try
        {
            var pem = File.ReadAllText(config.KeyFilePath);
            key = certificate.GetKeyAlgorithm() == "1.2.840.10045.2.1" ? ECDsa.Create() : RSA.Create();
            key.ImportFromPem(pem);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or CryptographicException)
        {
            throw new InvalidOperationException($"UpstreamAuthority \"disk\": cannot read key \"{config.KeyFilePath}\": {ex.Message}", ex);
        }

        if (!KeyFactory.PublicKeyDer(key).AsSpan().SequenceEqual(certificate.PublicKey.ExportSubjectPublicKeyInfo()))
        {
            throw new InvalidOperationException("UpstreamAuthority \"disk\": the key does not match the certificate");
        }

        var roots = config.BundleFilePath is { } bundle ? LoadCertificates(bundle) : chain.Where(IsSelfSigned).ToList();
        if (roots.Count == 0)
        {
            throw new InvalidOperationException(
                "UpstreamAuthority \"disk\": the certificate chain has no self-signed root; set bundle_file_path");
        }

        var intermediates = chain.Where(c => !IsSelfSigned(c)).ToList();
        return new UpstreamAuthority(key, certificate, intermediates, roots);
    }

    private static bool IsSelfSigned(X509Certificate2 c) => c.SubjectName.RawData.AsSpan().SequenceEqual(c.IssuerName.RawData);

    private static List<X509Certificate2> LoadCertificates(string path)
    {
        try
        {
            var collection = new X509Certificate2Collection();
            collection.ImportFromPemFile(path);
            return [.. collection];
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or CryptographicException)
        {
            throw new InvalidOperationException($"UpstreamAuthority \"disk\": cannot read certificates \"{path}\": {ex.Message}", ex);
        }
    }
}
