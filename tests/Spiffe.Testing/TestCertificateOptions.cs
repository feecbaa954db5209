using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Spiffe.Testing;

/// <summary>
/// Knobs for a certificate made by <see cref="TestCa"/>. Every default produces a certificate that follows the
/// X509-SVID profile for its role (root, intermediate or leaf); set a knob to make a specific defect.
/// A null value means "the role's default".
/// </summary>
public sealed record TestCertificateOptions
{
    /// <summary>Subject DN; empty for an empty subject. Default: a role-specific name.</summary>
    public string? Subject { get; init; }

    /// <summary>URI SAN values, written verbatim (never through <see cref="Uri"/>). Default: the leaf's ID, or the
    /// trust domain ID <c>spiffe://td</c> for a CA. Empty: no URI SAN.</summary>
    public IReadOnlyList<string>? UriSans { get; init; }

    /// <summary>DNS SAN values.</summary>
    public IReadOnlyList<string> DnsSans { get; init; } = [];

    /// <summary>Whether the SAN extension is critical. Default: critical only when the subject is empty.</summary>
    public bool? SanCritical { get; init; }

    /// <summary>Leave out basicConstraints.</summary>
    public bool OmitBasicConstraints { get; init; }

    /// <summary>basicConstraints cA. Default: true for a CA, false for a leaf.</summary>
    public bool? IsCa { get; init; }

    /// <summary>basicConstraints pathLenConstraint; none by default.</summary>
    public int? PathLength { get; init; }

    /// <summary>Whether basicConstraints is critical.</summary>
    public bool BasicConstraintsCritical { get; init; } = true;

    /// <summary>Leave out keyUsage.</summary>
    public bool OmitKeyUsage { get; init; }

    /// <summary>keyUsage bits. Default: keyCertSign and cRLSign for a CA, digitalSignature for a leaf.</summary>
    public X509KeyUsageFlags? KeyUsage { get; init; }

    /// <summary>Whether keyUsage is critical.</summary>
    public bool KeyUsageCritical { get; init; } = true;

    /// <summary>extendedKeyUsage OIDs. Default: serverAuth and clientAuth for a leaf, none for a CA. Empty: no extension.</summary>
    public IReadOnlyList<string>? ExtendedKeyUsages { get; init; }

    /// <summary>The type of the generated key pair.</summary>
    public TestKeyType KeyType { get; init; } = TestKeyType.EcP256;

    /// <summary>A key pair to use instead of generating one.</summary>
    public AsymmetricAlgorithm? Key { get; init; }

    /// <summary>A public key to put in the certificate instead of the key pair's (key mismatch, unsupported key types).</summary>
    public PublicKey? CertificatePublicKey { get; init; }

    /// <summary>notBefore. Default: 10 seconds before the CA's "now" for a leaf, one hour before for a CA.</summary>
    public DateTimeOffset? NotBefore { get; init; }

    /// <summary>notAfter. Default: an hour (leaf) or 30 days (CA) after "now", capped at the issuer's notAfter.</summary>
    public DateTimeOffset? NotAfter { get; init; }

    /// <summary>Serial number bytes, big-endian unsigned. Default: 16 random bytes, positive.</summary>
    public IReadOnlyList<byte>? SerialNumber { get; init; }

    /// <summary>Leave out subjectKeyIdentifier.</summary>
    public bool OmitSubjectKeyIdentifier { get; init; }

    /// <summary>Mark subjectKeyIdentifier critical.</summary>
    public bool SubjectKeyIdentifierCritical { get; init; }

    /// <summary>Leave out authorityKeyIdentifier (never present on a self-signed root).</summary>
    public bool OmitAuthorityKeyIdentifier { get; init; }

    /// <summary>Mark authorityKeyIdentifier critical.</summary>
    public bool AuthorityKeyIdentifierCritical { get; init; }

    /// <summary>The signature hash; SHA-256 by default.</summary>
    public HashAlgorithmName SignatureHash { get; init; } = HashAlgorithmName.SHA256;

    /// <summary>Extensions added after the standard ones (for example an unknown critical extension).</summary>
    public IReadOnlyList<X509Extension> ExtraExtensions { get; init; } = [];
}
