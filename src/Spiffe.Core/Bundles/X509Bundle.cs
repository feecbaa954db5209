using System.Security.Cryptography.X509Certificates;

namespace Spiffe.Core;

/// <summary>
/// The X.509 authorities (root CA certificates) of one trust domain. Immutable; a bundle is its own
/// <see cref="IX509BundleSource"/> for its trust domain.
/// </summary>
public sealed class X509Bundle : IX509BundleSource
{
    /// <summary>Creates a bundle.</summary>
    /// <param name="trustDomain">The trust domain the authorities belong to.</param>
    /// <param name="x509Authorities">The authorities; may be empty, which trusts nothing.</param>
    /// <exception cref="ArgumentException"><paramref name="trustDomain"/> is the zero value.</exception>
    public X509Bundle(TrustDomain trustDomain, IEnumerable<X509Certificate2> x509Authorities)
    {
        ArgumentNullException.ThrowIfNull(x509Authorities);
        if (trustDomain.IsZero)
        {
            throw new ArgumentException("the trust domain is the zero value", nameof(trustDomain));
        }

        this.TrustDomain = trustDomain;
        this.X509Authorities = x509Authorities.ToList().AsReadOnly();
        foreach (var authority in this.X509Authorities)
        {
            ArgumentNullException.ThrowIfNull(authority, nameof(x509Authorities));
        }
    }

    /// <summary>The trust domain the authorities belong to.</summary>
    public TrustDomain TrustDomain { get; }

    /// <summary>The authorities, in bundle order.</summary>
    public IReadOnlyList<X509Certificate2> X509Authorities { get; }

    /// <summary>
    /// Parses concatenated DER certificates, the Workload API form of an X.509 bundle. At least one certificate
    /// is required.
    /// </summary>
    /// <param name="trustDomain">The trust domain.</param>
    /// <param name="der">The certificates.</param>
    /// <returns>The bundle.</returns>
    /// <exception cref="BundleException">The bytes are empty or not DER certificates.</exception>
    public static X509Bundle ParseRaw(TrustDomain trustDomain, ReadOnlySpan<byte> der)
    {
        List<X509Certificate2> certificates;
        try
        {
            certificates = CertificateEncoding.ParseDerChain(der);
        }
        catch (FormatException ex)
        {
            throw new BundleException("cannot parse X.509 bundle: " + ex.Message, ex);
        }

        return FromParsed(trustDomain, certificates);
    }

    /// <summary>Parses PEM <c>CERTIFICATE</c> blocks. At least one certificate is required.</summary>
    /// <param name="trustDomain">The trust domain.</param>
    /// <param name="pem">The PEM text.</param>
    /// <returns>The bundle.</returns>
    /// <exception cref="BundleException">The text holds no certificate or a block that is not a certificate.</exception>
    public static X509Bundle Parse(TrustDomain trustDomain, string pem)
    {
        ArgumentNullException.ThrowIfNull(pem);
        List<X509Certificate2> certificates;
        try
        {
            certificates = CertificateEncoding.ParsePemCertificates(pem);
        }
        catch (FormatException ex)
        {
            throw new BundleException("cannot parse X.509 bundle: " + ex.Message, ex);
        }

        return FromParsed(trustDomain, certificates);
    }

    /// <summary>Returns the authorities as concatenated DER, the Workload API form.</summary>
    /// <returns>The DER bytes.</returns>
    public byte[] Marshal() => CertificateEncoding.ToDer(this.X509Authorities);

    /// <summary>Returns the authorities as PEM <c>CERTIFICATE</c> blocks.</summary>
    /// <returns>The PEM text.</returns>
    public string MarshalPem() => CertificateEncoding.ToPem(this.X509Authorities);

    /// <summary>Returns this bundle when asked for its own trust domain.</summary>
    /// <param name="trustDomain">The trust domain.</param>
    /// <returns>This bundle.</returns>
    /// <exception cref="BundleNotFoundException"><paramref name="trustDomain"/> is another trust domain.</exception>
    public X509Bundle GetX509BundleForTrustDomain(TrustDomain trustDomain) =>
        trustDomain == this.TrustDomain ? this : throw BundleSets.NotFound("X.509", trustDomain);

    private static X509Bundle FromParsed(TrustDomain trustDomain, List<X509Certificate2> certificates) =>
        certificates.Count > 0
            ? new X509Bundle(trustDomain, certificates)
            : throw new BundleException("X.509 bundle holds no certificate");
}
