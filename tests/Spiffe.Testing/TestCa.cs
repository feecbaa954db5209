using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Spiffe.Core;

namespace Spiffe.Testing;

/// <summary>
/// A test certificate authority for one trust domain: a self-signed root (or an intermediate under another
/// <see cref="TestCa"/>) that issues X509-SVIDs. Defaults follow the X509-SVID profile (CA: basicConstraints cA
/// critical, keyUsage keyCertSign|cRLSign critical, SKI, URI SAN <c>spiffe://td</c>; leaf: basicConstraints cA=false
/// critical, keyUsage digitalSignature critical, EKU serverAuth+clientAuth, SKI, AKI, one URI SAN); every defect is
/// a <see cref="TestCertificateOptions"/> knob. Times are relative to the <c>now</c> given at creation.
/// </summary>
public sealed class TestCa
{
    private const string ServerAuthOid = "1.3.6.1.5.5.7.3.1";
    private const string ClientAuthOid = "1.3.6.1.5.5.7.3.2";
    private static readonly Asn1Tag DnsTag = new(TagClass.ContextSpecific, 2);
    private static readonly Asn1Tag UriTag = new(TagClass.ContextSpecific, 6);

    private TestCa(TrustDomain trustDomain, X509Certificate2 certificate, AsymmetricAlgorithm key, TestCa? parent, DateTimeOffset now)
    {
        this.TrustDomain = trustDomain;
        this.Certificate = certificate;
        this.Key = key;
        this.Parent = parent;
        this.Now = now;
    }

    /// <summary>The trust domain.</summary>
    public TrustDomain TrustDomain { get; }

    /// <summary>This CA's certificate (without its private key).</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>This CA's key pair.</summary>
    public AsymmetricAlgorithm Key { get; }

    /// <summary>The issuing CA, or null for a root.</summary>
    public TestCa? Parent { get; }

    /// <summary>The reference time for default validity periods.</summary>
    public DateTimeOffset Now { get; }

    /// <summary>The root certificate at the top of this CA's chain.</summary>
    public X509Certificate2 RootCertificate => this.Parent?.RootCertificate ?? this.Certificate;

    /// <summary>This CA's certificate and its parents', up to (not including) the root; empty for a root.</summary>
    public IReadOnlyList<X509Certificate2> Intermediates =>
        this.Parent is null ? [] : [this.Certificate, .. this.Parent.Intermediates];

    /// <summary>Creates a self-signed root CA.</summary>
    /// <param name="trustDomain">The trust domain.</param>
    /// <param name="now">The reference time.</param>
    /// <param name="options">Defects to introduce.</param>
    /// <returns>The CA.</returns>
    public static TestCa CreateRoot(TrustDomain trustDomain, DateTimeOffset now, TestCertificateOptions? options = null)
    {
        options ??= new TestCertificateOptions();
        var key = options.Key ?? TestKeys.Create(options.KeyType);
        var publicKey = options.CertificatePublicKey ?? new PublicKey(key);
        var subject = new X500DistinguishedName(options.Subject ?? $"CN=Test Root CA, O={trustDomain.Name}");
        var certificate = Build(
            subject,
            subject,
            publicKey,
            key,
            issuerPublicKey: null,
            options,
            isCa: true,
            defaultUri: trustDomain.IdString,
            options.NotBefore ?? now.AddHours(-1),
            options.NotAfter ?? now.AddDays(30));
        return new TestCa(trustDomain, certificate, key, parent: null, now);
    }

    /// <summary>Creates an X.509 bundle holding this CA's root.</summary>
    /// <returns>The bundle.</returns>
    public X509Bundle CreateX509Bundle() => new(this.TrustDomain, [this.RootCertificate]);

    /// <summary>Creates an intermediate CA signed by this CA.</summary>
    /// <param name="options">Defects to introduce.</param>
    /// <returns>The intermediate CA.</returns>
    public TestCa CreateIntermediate(TestCertificateOptions? options = null)
    {
        options ??= new TestCertificateOptions();
        var key = options.Key ?? TestKeys.Create(options.KeyType);
        var publicKey = options.CertificatePublicKey ?? new PublicKey(key);
        var depth = this.Intermediates.Count + 1;
        var certificate = Build(
            new X500DistinguishedName(options.Subject ?? $"CN=Test Intermediate CA {depth}, O={this.TrustDomain.Name}"),
            this.Certificate.SubjectName,
            publicKey,
            this.Key,
            this.Certificate.PublicKey,
            options,
            isCa: true,
            defaultUri: this.TrustDomain.IdString,
            options.NotBefore ?? this.Now.AddHours(-1),
            options.NotAfter ?? Min(this.Now.AddDays(7), this.Certificate.NotAfter));
        return new TestCa(this.TrustDomain, certificate, key, this, this.Now);
    }

    /// <summary>Issues an X509-SVID leaf signed by this CA; the chain includes this CA's intermediates.</summary>
    /// <param name="id">The SPIFFE ID (the default URI SAN).</param>
    /// <param name="options">Defects to introduce.</param>
    /// <returns>The certificates and key.</returns>
    public TestX509Svid IssueX509Svid(SpiffeId id, TestCertificateOptions? options = null)
    {
        options ??= new TestCertificateOptions();
        var key = options.Key ?? TestKeys.Create(options.KeyType);
        var publicKey = options.CertificatePublicKey ?? new PublicKey(key);
        var leaf = Build(
            new X500DistinguishedName(options.Subject ?? "CN=workload, O=SPIFFE"),
            this.Certificate.SubjectName,
            publicKey,
            this.Key,
            this.Certificate.PublicKey,
            options,
            isCa: false,
            defaultUri: id.ToString(),
            options.NotBefore ?? this.Now.AddSeconds(-10),
            options.NotAfter ?? Min(this.Now.AddHours(1), this.Certificate.NotAfter));
        return new TestX509Svid([leaf, .. this.Intermediates], key);
    }

    private static DateTimeOffset Min(DateTimeOffset value, DateTime cap)
    {
        var capOffset = new DateTimeOffset(cap.ToUniversalTime());
        return value < capOffset ? value : capOffset;
    }

    private static X509Certificate2 Build(
        X500DistinguishedName subject,
        X500DistinguishedName issuer,
        PublicKey publicKey,
        AsymmetricAlgorithm signingKey,
        PublicKey? issuerPublicKey,
        TestCertificateOptions options,
        bool isCa,
        string defaultUri,
        DateTimeOffset notBefore,
        DateTimeOffset notAfter)
    {
        var request = new CertificateRequest(subject, publicKey, options.SignatureHash);
        var extensions = request.CertificateExtensions;

        if (!options.OmitBasicConstraints)
        {
            extensions.Add(new X509BasicConstraintsExtension(
                options.IsCa ?? isCa, options.PathLength is not null, options.PathLength ?? 0, options.BasicConstraintsCritical));
        }

        if (!options.OmitKeyUsage)
        {
            var usage = options.KeyUsage ?? (isCa ? X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign : X509KeyUsageFlags.DigitalSignature);
            extensions.Add(new X509KeyUsageExtension(usage, options.KeyUsageCritical));
        }

        var ekus = options.ExtendedKeyUsages ?? (isCa ? [] : [ServerAuthOid, ClientAuthOid]);
        if (ekus.Count > 0)
        {
            var oids = new OidCollection();
            foreach (var eku in ekus)
            {
                oids.Add(new Oid(eku));
            }

            extensions.Add(new X509EnhancedKeyUsageExtension(oids, critical: false));
        }

        if (!options.OmitSubjectKeyIdentifier)
        {
            extensions.Add(new X509SubjectKeyIdentifierExtension(publicKey, options.SubjectKeyIdentifierCritical));
        }

        if (issuerPublicKey is not null && !options.OmitAuthorityKeyIdentifier)
        {
            var issuerKeyId = new X509SubjectKeyIdentifierExtension(issuerPublicKey, critical: false).SubjectKeyIdentifierBytes;
            var aki = X509AuthorityKeyIdentifierExtension.CreateFromSubjectKeyIdentifier(issuerKeyId.Span);
            extensions.Add(new X509Extension(aki.Oid!, aki.RawData, options.AuthorityKeyIdentifierCritical));
        }

        var uris = options.UriSans ?? [defaultUri];
        if (uris.Count > 0 || options.DnsSans.Count > 0)
        {
            var critical = options.SanCritical ?? subject.RawData.AsSpan().SequenceEqual((byte[])[0x30, 0x00]);
            extensions.Add(BuildSubjectAltName(uris, options.DnsSans, critical));
        }

        foreach (var extension in options.ExtraExtensions)
        {
            extensions.Add(extension);
        }

        var serial = options.SerialNumber?.ToArray() ?? NewSerialNumber();
        var generator = options.SignatureHash == HashAlgorithmName.SHA1 && signingKey is RSA rsa
            ? new Sha1RsaSignatureGenerator(rsa)
            : TestKeys.SignatureGenerator(signingKey);
        return request.Create(issuer, generator, notBefore, notAfter, serial);
    }

    /// <summary>Writes the SAN extension by hand: <see cref="SubjectAlternativeNameBuilder.AddUri"/> would
    /// canonicalise the URI through <see cref="Uri"/> (a trailing slash on <c>spiffe://td</c>, dot segments resolved).</summary>
    private static X509Extension BuildSubjectAltName(IReadOnlyList<string> uris, IReadOnlyList<string> dnsNames, bool critical)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            foreach (var dns in dnsNames)
            {
                writer.WriteCharacterString(UniversalTagNumber.IA5String, dns, DnsTag);
            }

            foreach (var uri in uris)
            {
                writer.WriteCharacterString(UniversalTagNumber.IA5String, uri, UriTag);
            }
        }

        return new X509Extension("2.5.29.17", writer.Encode(), critical);
    }

    private static byte[] NewSerialNumber()
    {
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] = (byte)((serial[0] & 0x7F) | 0x01);
        return serial;
    }
}
