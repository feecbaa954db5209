using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Spiffe.Core;

/// <summary>
/// An X509-SVID: a leaf certificate carrying a SPIFFE ID, its intermediates, and the leaf's private key.
/// Parsing validates the X509-SVID profile (parse = validate); chain trust is checked separately by
/// <see cref="X509SvidVerifier"/>. Immutable; an SVID is its own <see cref="IX509SvidSource"/>.
/// </summary>
public sealed class X509Svid : IX509SvidSource
{
    private const string EcKeyOid = KeyAlgorithms.EcPublicKeyOid;
    private const string RsaKeyOid = KeyAlgorithms.RsaPublicKeyOid;

    private X509Svid(SpiffeId id, List<X509Certificate2> certificates, AsymmetricAlgorithm privateKey, string hint)
    {
        this.Id = id;
        this.Certificates = certificates.AsReadOnly();
        this.PrivateKey = privateKey;
        this.Hint = hint;
    }

    /// <summary>The SPIFFE ID of the leaf certificate's URI SAN (never root-path).</summary>
    public SpiffeId Id { get; }

    /// <summary>The leaf certificate first, then the intermediates in issuing order.</summary>
    public IReadOnlyList<X509Certificate2> Certificates { get; }

    /// <summary>The leaf's private key: an <see cref="ECDsa"/> (P-256 or P-384) or <see cref="RSA"/> (2048 bits or more).</summary>
    public AsymmetricAlgorithm PrivateKey { get; }

    /// <summary>The operator-chosen hint from the Workload API, or empty.</summary>
    public string Hint { get; }

    /// <summary>
    /// Parses the Workload API form: concatenated DER certificates (leaf first) and an unencrypted PKCS#8 DER key.
    /// </summary>
    /// <param name="certificatesDer">The certificates, concatenated with no padding.</param>
    /// <param name="privateKeyPkcs8">The leaf's private key.</param>
    /// <param name="hint">The hint that came with the SVID, if any.</param>
    /// <returns>The SVID.</returns>
    /// <exception cref="X509SvidException">The input breaks an X509-SVID rule; the message names it.</exception>
    public static X509Svid ParseRaw(ReadOnlySpan<byte> certificatesDer, ReadOnlySpan<byte> privateKeyPkcs8, string? hint = null)
    {
        List<X509Certificate2> certificates;
        try
        {
            certificates = CertificateEncoding.ParseDerChain(certificatesDer);
        }
        catch (FormatException ex)
        {
            throw new X509SvidException("cannot parse certificates: " + ex.Message, ex);
        }

        return Create(certificates, ImportPrivateKey(privateKeyPkcs8), hint);
    }

    /// <summary>Parses PEM: <c>CERTIFICATE</c> blocks (leaf first) and one PKCS#8 <c>PRIVATE KEY</c> block.</summary>
    /// <param name="certificatesPem">The certificate blocks.</param>
    /// <param name="privateKeyPem">The key block.</param>
    /// <param name="hint">The hint that came with the SVID, if any.</param>
    /// <returns>The SVID.</returns>
    /// <exception cref="X509SvidException">The input breaks an X509-SVID rule; the message names it.</exception>
    public static X509Svid Parse(string certificatesPem, string privateKeyPem, string? hint = null)
    {
        ArgumentNullException.ThrowIfNull(certificatesPem);
        ArgumentNullException.ThrowIfNull(privateKeyPem);
        List<X509Certificate2> certificates;
        List<byte[]> keys;
        try
        {
            certificates = CertificateEncoding.ParsePemCertificates(certificatesPem);
            keys = CertificateEncoding.ReadPemBlocks(privateKeyPem, CertificateEncoding.PrivateKeyLabel);
        }
        catch (FormatException ex)
        {
            throw new X509SvidException("cannot parse PEM: " + ex.Message, ex);
        }

        if (keys.Count != 1)
        {
            throw new X509SvidException($"expected exactly one PEM \"{CertificateEncoding.PrivateKeyLabel}\" block, found {keys.Count}");
        }

        return Create(certificates, ImportPrivateKey(keys[0]), hint);
    }

    /// <summary>Returns the Workload API form: concatenated DER certificates and the PKCS#8 DER private key.</summary>
    /// <returns>The certificates and the key.</returns>
    public (byte[] Certificates, byte[] PrivateKey) Marshal() =>
        (CertificateEncoding.ToDer(this.Certificates), this.PrivateKey.ExportPkcs8PrivateKey());

    /// <summary>Returns the PEM form: <c>CERTIFICATE</c> blocks and a PKCS#8 <c>PRIVATE KEY</c> block.</summary>
    /// <returns>The certificates and the key.</returns>
    public (string Certificates, string PrivateKey) MarshalPem() =>
        (CertificateEncoding.ToPem(this.Certificates), this.PrivateKey.ExportPkcs8PrivateKeyPem() + "\n");

    /// <summary>
    /// Returns a new copy of the leaf certificate with the private key attached, as TLS stacks need it.
    /// The caller owns (and disposes) the copy.
    /// </summary>
    /// <returns>The leaf with its key.</returns>
    public X509Certificate2 CopyLeafWithPrivateKey() => this.PrivateKey switch
    {
        ECDsa ecdsa => this.Certificates[0].CopyWithPrivateKey(ecdsa),
        RSA rsa => this.Certificates[0].CopyWithPrivateKey(rsa),
        _ => throw new InvalidOperationException("unsupported private key type"),
    };

    /// <summary>Returns this SVID.</summary>
    /// <returns>This SVID.</returns>
    public X509Svid GetX509Svid() => this;

    private static X509Svid Create(List<X509Certificate2> certificates, AsymmetricAlgorithm privateKey, string? hint)
    {
        if (certificates.Count == 0)
        {
            throw new X509SvidException("no certificates found");
        }

        var id = X509Rules.CheckLeaf(certificates[0]);
        for (var i = 1; i < certificates.Count; i++)
        {
            X509Rules.CheckIntermediate(certificates[i], i, id.TrustDomain);
        }

        X509Rules.CheckKeyIdentifierLinks(certificates);

        if (!KeyAlgorithms.PublicKeyMatches(certificates[0].PublicKey, privateKey))
        {
            throw new X509SvidException("private key does not match the leaf certificate's public key");
        }

        return new X509Svid(id, certificates, privateKey, hint ?? string.Empty);
    }

    private static AsymmetricAlgorithm ImportPrivateKey(ReadOnlySpan<byte> pkcs8)
    {
        string algorithm;
        try
        {
            var info = new AsnReader(pkcs8.ToArray(), AsnEncodingRules.DER).ReadSequence();
            _ = info.ReadInteger();
            algorithm = info.ReadSequence().ReadObjectIdentifier();
        }
        catch (AsnContentException ex)
        {
            throw new X509SvidException("private key is not an unencrypted PKCS#8 key: " + ex.Message, ex);
        }

        AsymmetricAlgorithm key = algorithm switch
        {
            EcKeyOid => ECDsa.Create(),
            RsaKeyOid => RSA.Create(),
            _ => throw new X509SvidException($"private key algorithm {algorithm} is not supported (use EC or RSA)"),
        };

        int read;
        try
        {
            key.ImportPkcs8PrivateKey(pkcs8, out read);
        }
        catch (CryptographicException ex)
        {
            key.Dispose();
            throw new X509SvidException("private key cannot be imported: " + ex.Message, ex);
        }

        if (read != pkcs8.Length)
        {
            key.Dispose();
            throw new X509SvidException("private key has trailing data after the PKCS#8 structure");
        }

        return key;
    }
}
