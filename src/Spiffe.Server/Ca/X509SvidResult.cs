using System.Security.Cryptography.X509Certificates;

namespace Spiffe.Server.Ca;

/// <summary>A signed X509-SVID.</summary>
internal sealed class X509SvidResult
{
    private readonly Lazy<X509Certificate2> _leaf;

    /// <summary>Creates the result.</summary>
    /// <param name="chain">DER certificates, leaf first, then intermediates up to (not including) the root.</param>
    /// <param name="expiresAt">The leaf's notAfter.</param>
    /// <param name="serialNumber">The leaf serial as an unsigned decimal string.</param>
    public X509SvidResult(IReadOnlyList<byte[]> chain, DateTimeOffset expiresAt, string serialNumber)
    {
        Chain = chain ?? throw new ArgumentNullException(nameof(chain));
        ExpiresAt = expiresAt;
        SerialNumber = serialNumber;
        _leaf = new Lazy<X509Certificate2>(() => X509CertificateLoader.LoadCertificate(chain[0]));
    }

    /// <summary>The leaf certificate (public only), parsed on first use.</summary>
    public X509Certificate2 Leaf => _leaf.Value;

    /// <summary>DER certificates, leaf first, then intermediates up to (not including) the root.</summary>
    public IReadOnlyList<byte[]> Chain { get; }

    /// <summary>The leaf's notAfter.</summary>
    public DateTimeOffset ExpiresAt { get; }

    /// <summary>The leaf serial as an unsigned decimal string.</summary>
    public string SerialNumber { get; }
}
