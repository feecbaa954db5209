using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Spiffe.Core;

namespace Spiffe.Testing;

/// <summary>The raw material of an X509-SVID made by <see cref="TestCa"/>, which may be deliberately defective.</summary>
public sealed class TestX509Svid
{
    internal TestX509Svid(IReadOnlyList<X509Certificate2> certificates, AsymmetricAlgorithm privateKey)
    {
        this.Certificates = certificates;
        this.PrivateKey = privateKey;
    }

    /// <summary>The leaf, then the intermediates up to (not including) the root.</summary>
    public IReadOnlyList<X509Certificate2> Certificates { get; }

    /// <summary>The leaf certificate.</summary>
    public X509Certificate2 Leaf => this.Certificates[0];

    /// <summary>The leaf's key pair.</summary>
    public AsymmetricAlgorithm PrivateKey { get; }

    /// <summary>The certificates as concatenated DER (the Workload API form).</summary>
    public byte[] CertificatesDer => [.. this.Certificates.SelectMany(c => c.RawData)];

    /// <summary>The key as unencrypted PKCS#8 DER.</summary>
    public byte[] PrivateKeyPkcs8 => this.PrivateKey.ExportPkcs8PrivateKey();

    /// <summary>The certificates as PEM blocks.</summary>
    public string CertificatesPem => string.Concat(this.Certificates.Select(c => PemEncoding.WriteString("CERTIFICATE", c.RawData) + "\n"));

    /// <summary>The key as a PKCS#8 PEM block.</summary>
    public string PrivateKeyPem => this.PrivateKey.ExportPkcs8PrivateKeyPem();

    /// <summary>Parses the material with <see cref="X509Svid.ParseRaw"/>.</summary>
    /// <param name="hint">The hint to attach.</param>
    /// <returns>The SVID.</returns>
    public X509Svid ToX509Svid(string? hint = null) => X509Svid.ParseRaw(this.CertificatesDer, this.PrivateKeyPkcs8, hint);
}
