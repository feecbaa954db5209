using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Spiffe.Testing;

namespace Spiffe.Core.Tests.X509;

[TestFixture]
public sealed class X509SvidTests
{
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TrustDomain Td = TrustDomain.Parse("example.org");
    private static readonly SpiffeId WorkloadId = SpiffeId.Parse("spiffe://example.org/ns/prod/sa/web");

    private TestCa root = null!;

    [OneTimeSetUp]
    public void CreateCa()
    {
        this.root = TestCa.CreateRoot(Td, Now);
    }

    public static IEnumerable<TestCaseData> LeafDefects()
    {
        yield return new TestCaseData(new TestCertificateOptions { IsCa = true }, "must not be a CA").SetName("X-2 CA leaf");
        yield return new TestCaseData(new TestCertificateOptions { OmitBasicConstraints = true }, "no basicConstraints").SetName("X-2 basicConstraints missing");
        yield return new TestCaseData(new TestCertificateOptions { PathLength = 0 }, "must not set a path length").SetName("X-2 path length on leaf");
        yield return new TestCaseData(new TestCertificateOptions { UriSans = [WorkloadId.ToString(), "spiffe://example.org/other"] }, "exactly one URI SAN, found 2").SetName("X-1 two URI SANs");
        yield return new TestCaseData(new TestCertificateOptions { UriSans = [], DnsSans = ["web.example.org"] }, "no URI SAN").SetName("X-1 no URI SAN");
        yield return new TestCaseData(new TestCertificateOptions { UriSans = ["spiffe://example.org"] }, "non-root path").SetName("ID-16 root-path leaf ID");
        yield return new TestCaseData(new TestCertificateOptions { UriSans = ["spiffe://example.org/a/../b"] }, "'.' or '..' segments").SetName("X-1 URI SAN read raw, dot segment");
        yield return new TestCaseData(new TestCertificateOptions { UriSans = ["spiffe://example.org/web/"] }, "must not end with '/'").SetName("X-1 URI SAN read raw, trailing slash");
        yield return new TestCaseData(new TestCertificateOptions { UriSans = ["spiffe://example.org/%41"] }, "percent-encoding").SetName("X-1 URI SAN read raw, percent");
        yield return new TestCaseData(new TestCertificateOptions { UriSans = ["SPIFFE://example.org/web"] }, "lowercase").SetName("X-1 URI SAN uppercase scheme");
        yield return new TestCaseData(new TestCertificateOptions { OmitKeyUsage = true }, "no keyUsage").SetName("X-3 keyUsage missing");
        yield return new TestCaseData(new TestCertificateOptions { KeyUsageCritical = false }, "keyUsage extension must be critical").SetName("X-3 keyUsage not critical");
        yield return new TestCaseData(new TestCertificateOptions { KeyUsage = X509KeyUsageFlags.KeyEncipherment }, "digitalSignature").SetName("X-3 digitalSignature missing");
        yield return new TestCaseData(new TestCertificateOptions { KeyUsage = X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyCertSign }, "must not include keyCertSign").SetName("X-3 keyCertSign on leaf");
        yield return new TestCaseData(new TestCertificateOptions { KeyUsage = X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.CrlSign }, "must not include cRLSign").SetName("X-3 cRLSign on leaf");
        yield return new TestCaseData(new TestCertificateOptions { ExtendedKeyUsages = ["1.3.6.1.5.5.7.3.2"] }, "serverAuth and clientAuth").SetName("X-4 EKU without serverAuth");
        yield return new TestCaseData(new TestCertificateOptions { Subject = string.Empty, SanCritical = false }, "subjectAltName extension must be critical").SetName("X-5 empty subject, SAN not critical");
        yield return new TestCaseData(new TestCertificateOptions { SerialNumber = [0x00] }, "serial number must be positive").SetName("X-6 zero serial");
        yield return new TestCaseData(new TestCertificateOptions { SerialNumber = [.. Enumerable.Repeat((byte)0x11, 21)] }, "longer than 20 octets").SetName("X-6 21-octet serial");
        yield return new TestCaseData(new TestCertificateOptions { KeyType = TestKeyType.EcP521 }, "P-256 or P-384").SetName("X-7 P-521 leaf key");
        yield return new TestCaseData(new TestCertificateOptions { KeyType = TestKeyType.Rsa1024 }, "at least 2048 bits").SetName("X-7 RSA-1024 leaf key");
        yield return new TestCaseData(new TestCertificateOptions { CertificatePublicKey = TestKeys.CreateEd25519PublicKey() }, "is not supported").SetName("X-7 Ed25519 leaf key");
        yield return new TestCaseData(new TestCertificateOptions { OmitAuthorityKeyIdentifier = true }, "no authorityKeyIdentifier").SetName("X-9 AKI missing");
        yield return new TestCaseData(new TestCertificateOptions { AuthorityKeyIdentifierCritical = true }, "authorityKeyIdentifier extension must not be critical").SetName("X-9 AKI critical");
        yield return new TestCaseData(new TestCertificateOptions { SubjectKeyIdentifierCritical = true }, "subjectKeyIdentifier extension must not be critical").SetName("X-9 SKI critical");
        yield return new TestCaseData(new TestCertificateOptions { ExtraExtensions = [new X509Extension("1.2.3.4.5", [0x05, 0x00], critical: true)] }, "unsupported critical extension 1.2.3.4.5").SetName("X-10 unknown critical extension");
        yield return new TestCaseData(new TestCertificateOptions { CertificatePublicKey = TestKeys.PublicKeyOf(TestKeys.Create(TestKeyType.EcP256)) }, "does not match").SetName("X-11 mismatched key");
    }

    public static IEnumerable<TestCaseData> IntermediateDefects()
    {
        yield return new TestCaseData(new TestCertificateOptions { IsCa = false }, "must be a CA").SetName("X-12 non-CA intermediate");
        yield return new TestCaseData(new TestCertificateOptions { OmitBasicConstraints = true }, "no basicConstraints").SetName("X-12 intermediate without basicConstraints");
        yield return new TestCaseData(new TestCertificateOptions { BasicConstraintsCritical = false }, "basicConstraints extension must be critical").SetName("X-12 intermediate basicConstraints not critical");
        yield return new TestCaseData(new TestCertificateOptions { KeyUsage = X509KeyUsageFlags.CrlSign }, "must include keyCertSign").SetName("X-13 intermediate without keyCertSign");
        yield return new TestCaseData(new TestCertificateOptions { OmitKeyUsage = true }, "no keyUsage").SetName("X-13 intermediate without keyUsage");
        yield return new TestCaseData(new TestCertificateOptions { KeyUsageCritical = false }, "keyUsage extension must be critical").SetName("X-13 intermediate keyUsage not critical");
        yield return new TestCaseData(new TestCertificateOptions { UriSans = ["spiffe://example.org/ca"] }, "must be a trust domain ID").SetName("X-14 intermediate URI SAN with path");
        yield return new TestCaseData(new TestCertificateOptions { UriSans = ["spiffe://example.org/"] }, "must be a trust domain ID").SetName("X-14 intermediate URI SAN trailing slash");
        yield return new TestCaseData(new TestCertificateOptions { UriSans = ["spiffe://other.org"] }, "not in the leaf's trust domain").SetName("X-14 intermediate URI SAN other trust domain");
        yield return new TestCaseData(new TestCertificateOptions { UriSans = ["spiffe://example.org", "spiffe://example.org"] }, "at most one URI SAN").SetName("X-14 intermediate two URI SANs");
        yield return new TestCaseData(new TestCertificateOptions { OmitSubjectKeyIdentifier = true }, "no subjectKeyIdentifier").SetName("X-15 intermediate without SKI");
        yield return new TestCaseData(new TestCertificateOptions { Subject = string.Empty }, "non-empty subject").SetName("X-15 intermediate with empty subject");
    }

    [Test]
    public void ParseRaw_LeafFromRoot_ExposesIdCertificatesAndKey()
    {
        // Arrange
        var material = this.root.IssueX509Svid(WorkloadId);

        // Act
        var svid = X509Svid.ParseRaw(material.CertificatesDer, material.PrivateKeyPkcs8);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(svid.Id, Is.EqualTo(WorkloadId));
            Assert.That(svid.Certificates, Has.Count.EqualTo(1));
            Assert.That(svid.Certificates[0].RawData, Is.EqualTo(material.Leaf.RawData));
            Assert.That(svid.PrivateKey, Is.InstanceOf<ECDsa>());
            Assert.That(svid.Hint, Is.Empty);
        });
    }

    [Test]
    public void ParseRaw_TwoLevelChain_KeepsIntermediatesInOrder()
    {
        // Arrange
        var intermediate = this.root.CreateIntermediate();
        var material = intermediate.IssueX509Svid(WorkloadId);

        // Act
        var svid = X509Svid.ParseRaw(material.CertificatesDer, material.PrivateKeyPkcs8, "internal");

        // Assert
        Assert.That(svid.Certificates.Select(c => c.Thumbprint), Is.EqualTo(new[] { material.Leaf.Thumbprint, intermediate.Certificate.Thumbprint }));
        Assert.That(svid.Hint, Is.EqualTo("internal"));
    }

    [Test]
    public void ParseRaw_RootIncludedAfterIntermediate_Accepted()
    {
        // Arrange
        var intermediate = this.root.CreateIntermediate();
        var material = intermediate.IssueX509Svid(WorkloadId);
        byte[] der = [.. material.CertificatesDer, .. this.root.Certificate.RawData];

        // Act
        var svid = X509Svid.ParseRaw(der, material.PrivateKeyPkcs8);

        // Assert
        Assert.That(svid.Certificates, Has.Count.EqualTo(3));
    }

    [TestCase(TestKeyType.EcP256)]
    [TestCase(TestKeyType.EcP384)]
    [TestCase(TestKeyType.Rsa2048)]
    public void ParseRaw_AllowedKeyType_Accepted(TestKeyType keyType)
    {
        // Arrange
        var material = this.root.IssueX509Svid(WorkloadId, new TestCertificateOptions { KeyType = keyType });

        // Act
        var svid = X509Svid.ParseRaw(material.CertificatesDer, material.PrivateKeyPkcs8);

        // Assert
        Assert.That(svid.Id, Is.EqualTo(WorkloadId));
    }

    [Test]
    public void ParseRaw_RsaCaSigningEcLeaf_Accepted()
    {
        // Arrange
        var rsaRoot = TestCa.CreateRoot(Td, Now, new TestCertificateOptions { KeyType = TestKeyType.Rsa2048 });
        var material = rsaRoot.IssueX509Svid(WorkloadId);

        // Act
        var svid = X509Svid.ParseRaw(material.CertificatesDer, material.PrivateKeyPkcs8);

        // Assert
        Assert.That(svid.Certificates[0].SignatureAlgorithm.Value, Is.EqualTo("1.2.840.113549.1.1.11"));
    }

    [Test]
    public void ParseRaw_EmptySubjectWithCriticalSan_Accepted()
    {
        // Arrange
        var material = this.root.IssueX509Svid(WorkloadId, new TestCertificateOptions { Subject = string.Empty });

        // Act
        var svid = X509Svid.ParseRaw(material.CertificatesDer, material.PrivateKeyPkcs8);

        // Assert
        Assert.That(svid.Id, Is.EqualTo(WorkloadId));
    }

    [Test]
    public void ParseRaw_NoExtendedKeyUsage_Accepted()
    {
        // Arrange
        var material = this.root.IssueX509Svid(WorkloadId, new TestCertificateOptions { ExtendedKeyUsages = [] });

        // Act
        var svid = X509Svid.ParseRaw(material.CertificatesDer, material.PrivateKeyPkcs8);

        // Assert
        Assert.That(svid.Id, Is.EqualTo(WorkloadId));
    }

    [Test]
    public void ParseRaw_DnsSanBesideUriSan_Accepted()
    {
        // Arrange
        var material = this.root.IssueX509Svid(WorkloadId, new TestCertificateOptions { DnsSans = ["web.example.org"] });

        // Act
        var svid = X509Svid.ParseRaw(material.CertificatesDer, material.PrivateKeyPkcs8);

        // Assert
        Assert.That(svid.Id, Is.EqualTo(WorkloadId));
    }

    [TestCaseSource(nameof(LeafDefects))]
    public void ParseRaw_LeafDefect_ThrowsNamingTheRule(TestCertificateOptions options, string rule)
    {
        // Arrange
        var material = this.root.IssueX509Svid(WorkloadId, options);

        // Act
        var ex = Assert.Throws<X509SvidException>(() => X509Svid.ParseRaw(material.CertificatesDer, material.PrivateKeyPkcs8));

        // Assert
        Assert.That(ex.Message, Does.Contain(rule));
    }

    [TestCaseSource(nameof(IntermediateDefects))]
    public void ParseRaw_IntermediateDefect_ThrowsNamingTheRule(TestCertificateOptions options, string rule)
    {
        // Arrange
        var intermediate = this.root.CreateIntermediate(options);
        var material = intermediate.IssueX509Svid(WorkloadId);

        // Act
        var ex = Assert.Throws<X509SvidException>(() => X509Svid.ParseRaw(material.CertificatesDer, material.PrivateKeyPkcs8));

        // Assert
        Assert.That(ex.Message, Does.Contain(rule));
    }

    [Test]
    public void ParseRaw_IntermediateWithoutUriSan_Accepted()
    {
        // Arrange
        var intermediate = this.root.CreateIntermediate(new TestCertificateOptions { UriSans = [] });
        var material = intermediate.IssueX509Svid(WorkloadId);

        // Act
        var svid = X509Svid.ParseRaw(material.CertificatesDer, material.PrivateKeyPkcs8);

        // Assert
        Assert.That(svid.Certificates, Has.Count.EqualTo(2));
    }

    [Test]
    public void ParseRaw_IntermediateNotIssuerOfLeaf_ThrowsKeyIdentifierMismatch()
    {
        // Arrange
        var issuing = this.root.CreateIntermediate();
        var unrelated = this.root.CreateIntermediate();
        var material = issuing.IssueX509Svid(WorkloadId);
        byte[] der = [.. material.Leaf.RawData, .. unrelated.Certificate.RawData];

        // Act
        var ex = Assert.Throws<X509SvidException>(() => X509Svid.ParseRaw(der, material.PrivateKeyPkcs8));

        // Assert
        Assert.That(ex.Message, Does.Contain("authorityKeyIdentifier does not match"));
    }

    [Test]
    public void ParseRaw_DuplicateExtension_Rejected()
    {
        // Arrange: CertificateRequest refuses duplicates, so an extension with OID 2.5.29.99 is renamed to
        // keyUsage (2.5.29.15, same length) after signing; parsing does not check signatures.
        var material = this.root.IssueX509Svid(WorkloadId, new TestCertificateOptions
        {
            ExtraExtensions = [new X509Extension("2.5.29.99", [0x03, 0x02, 0x07, 0x80], critical: true)],
        });
        var der = material.CertificatesDer;
        var at = der.AsSpan().IndexOf((byte[])[0x06, 0x03, 0x55, 0x1D, 0x63]);
        der[at + 4] = 0x0F;

        // Act
        var ex = Assert.Throws<X509SvidException>(() => X509Svid.ParseRaw(der, material.PrivateKeyPkcs8));

        // Assert
        Assert.That(ex.Message, Does.Contain("extension 2.5.29.15 more than once"));
    }

    [Test]
    public void ParseRaw_NegativeSerial_Rejected()
    {
        // Arrange: the serial is patched after signing; parsing does not check signatures, so the serial rule decides.
        byte[] serial = [0x7F, 0xA1, 0xB2, 0xC3, 0xD4, 0xE5, 0xF6, 0x07, 0x18, 0x29, 0x3A, 0x4B, 0x5C, 0x6D, 0x7E, 0x8F];
        var material = this.root.IssueX509Svid(WorkloadId, new TestCertificateOptions { SerialNumber = serial });
        var der = material.CertificatesDer;
        var at = der.AsSpan().IndexOf(serial);
        der[at] = 0x80;

        // Act
        var ex = Assert.Throws<X509SvidException>(() => X509Svid.ParseRaw(der, material.PrivateKeyPkcs8));

        // Assert
        Assert.That(ex.Message, Does.Contain("serial number must be positive"));
    }

    [Test]
    public void ParseRaw_Sha1Signature_Rejected()
    {
        // Arrange
        var rsaRoot = TestCa.CreateRoot(Td, Now, new TestCertificateOptions { KeyType = TestKeyType.Rsa2048 });
        var material = rsaRoot.IssueX509Svid(WorkloadId, new TestCertificateOptions { SignatureHash = HashAlgorithmName.SHA1 });

        // Act
        var ex = Assert.Throws<X509SvidException>(() => X509Svid.ParseRaw(material.CertificatesDer, material.PrivateKeyPkcs8));

        // Assert
        Assert.That(ex.Message, Does.Contain("signature algorithm"));
    }

    [Test]
    public void ParseRaw_NoCertificates_Throws()
    {
        var key = TestKeys.Create(TestKeyType.EcP256).ExportPkcs8PrivateKey();
        var ex = Assert.Throws<X509SvidException>(() => X509Svid.ParseRaw([], key));
        Assert.That(ex.Message, Does.Contain("no certificates"));
    }

    [Test]
    public void ParseRaw_GarbageCertificates_Throws()
    {
        var key = TestKeys.Create(TestKeyType.EcP256).ExportPkcs8PrivateKey();
        var ex = Assert.Throws<X509SvidException>(() => X509Svid.ParseRaw([0x01, 0x02, 0x03], key));
        Assert.That(ex.Message, Does.Contain("cannot parse certificates"));
    }

    [Test]
    public void ParseRaw_PemInsteadOfDer_Throws()
    {
        // Arrange
        var material = this.root.IssueX509Svid(WorkloadId);

        // Act
        var ex = Assert.Throws<X509SvidException>(() => X509Svid.ParseRaw(Encoding.ASCII.GetBytes(material.CertificatesPem), material.PrivateKeyPkcs8));

        // Assert
        Assert.That(ex.Message, Does.Contain("not a DER SEQUENCE"));
    }

    [Test]
    public void ParseRaw_EcPrivateKeyInsteadOfPkcs8_Throws()
    {
        // Arrange
        var material = this.root.IssueX509Svid(WorkloadId);
        var sec1 = ((ECDsa)material.PrivateKey).ExportECPrivateKey();

        // Act
        var ex = Assert.Throws<X509SvidException>(() => X509Svid.ParseRaw(material.CertificatesDer, sec1));

        // Assert
        Assert.That(ex.Message, Does.Contain("PKCS#8"));
    }

    [Test]
    public void ParseRaw_EncryptedPkcs8_Throws()
    {
        // Arrange
        var material = this.root.IssueX509Svid(WorkloadId);
        var encrypted = material.PrivateKey.ExportEncryptedPkcs8PrivateKey(
            "pw"u8, new PbeParameters(PbeEncryptionAlgorithm.Aes128Cbc, HashAlgorithmName.SHA256, 1));

        // Act
        var ex = Assert.Throws<X509SvidException>(() => X509Svid.ParseRaw(material.CertificatesDer, encrypted));

        // Assert
        Assert.That(ex.Message, Does.Contain("PKCS#8"));
    }

    [Test]
    public void ParseRaw_KeyWithTrailingBytes_Throws()
    {
        // Arrange
        var material = this.root.IssueX509Svid(WorkloadId);
        byte[] key = [.. material.PrivateKeyPkcs8, 0x00];

        // Act
        var ex = Assert.Throws<X509SvidException>(() => X509Svid.ParseRaw(material.CertificatesDer, key));

        // Assert
        Assert.That(ex.Message, Does.Contain("trailing data"));
    }

    [Test]
    public void ParseRaw_RsaKeyForEcLeaf_ThrowsMismatch()
    {
        // Arrange
        var material = this.root.IssueX509Svid(WorkloadId);
        var rsaKey = TestKeys.Create(TestKeyType.Rsa2048).ExportPkcs8PrivateKey();

        // Act
        var ex = Assert.Throws<X509SvidException>(() => X509Svid.ParseRaw(material.CertificatesDer, rsaKey));

        // Assert
        Assert.That(ex.Message, Does.Contain("does not match"));
    }

    [Test]
    public void Parse_Pem_SameAsRaw()
    {
        // Arrange
        var material = this.root.CreateIntermediate().IssueX509Svid(WorkloadId);

        // Act
        var svid = X509Svid.Parse(material.CertificatesPem, material.PrivateKeyPem);

        // Assert
        Assert.That(svid.Id, Is.EqualTo(WorkloadId));
        Assert.That(svid.Certificates, Has.Count.EqualTo(2));
    }

    [Test]
    public void Parse_CertificateBlockWithWrongLabel_Throws()
    {
        // Arrange
        var material = this.root.IssueX509Svid(WorkloadId);
        var pem = PemEncoding.WriteString("TRUSTED CERTIFICATE", material.Leaf.RawData);

        // Act
        var ex = Assert.Throws<X509SvidException>(() => X509Svid.Parse(pem, material.PrivateKeyPem));

        // Assert
        Assert.That(ex.Message, Does.Contain("expected PEM block type \"CERTIFICATE\""));
    }

    [Test]
    public void Parse_Sec1KeyPem_Throws()
    {
        // Arrange
        var material = this.root.IssueX509Svid(WorkloadId);
        var keyPem = ((ECDsa)material.PrivateKey).ExportECPrivateKeyPem();

        // Act
        var ex = Assert.Throws<X509SvidException>(() => X509Svid.Parse(material.CertificatesPem, keyPem));

        // Assert
        Assert.That(ex.Message, Does.Contain("expected PEM block type \"PRIVATE KEY\""));
    }

    [Test]
    public void Parse_NoKeyBlock_Throws()
    {
        // Arrange
        var material = this.root.IssueX509Svid(WorkloadId);

        // Act
        var ex = Assert.Throws<X509SvidException>(() => X509Svid.Parse(material.CertificatesPem, string.Empty));

        // Assert
        Assert.That(ex.Message, Does.Contain("exactly one PEM \"PRIVATE KEY\" block, found 0"));
    }

    [Test]
    public void Marshal_ParsedSvid_RoundTrips()
    {
        // Arrange
        var material = this.root.CreateIntermediate().IssueX509Svid(WorkloadId);
        var svid = material.ToX509Svid();

        // Act
        var (certificates, key) = svid.Marshal();
        var again = X509Svid.ParseRaw(certificates, key);

        // Assert
        Assert.That(certificates, Is.EqualTo(material.CertificatesDer));
        Assert.That(again.Id, Is.EqualTo(svid.Id));
    }

    [Test]
    public void MarshalPem_ParsedSvid_RoundTrips()
    {
        // Arrange
        var svid = this.root.IssueX509Svid(WorkloadId, new TestCertificateOptions { KeyType = TestKeyType.Rsa2048 }).ToX509Svid();

        // Act
        var (certificates, key) = svid.MarshalPem();
        var again = X509Svid.Parse(certificates, key);

        // Assert
        Assert.That(certificates, Does.StartWith("-----BEGIN CERTIFICATE-----"));
        Assert.That(key, Does.StartWith("-----BEGIN PRIVATE KEY-----"));
        Assert.That(again.Certificates[0].RawData, Is.EqualTo(svid.Certificates[0].RawData));
    }

    [Test]
    public void CopyLeafWithPrivateKey_EcSvid_HasPrivateKey()
    {
        // Arrange
        var svid = this.root.IssueX509Svid(WorkloadId).ToX509Svid();

        // Act
        using var leaf = svid.CopyLeafWithPrivateKey();

        // Assert
        Assert.That(leaf.HasPrivateKey, Is.True);
    }

    [Test]
    public void GetX509Svid_Svid_ReturnsItself()
    {
        var svid = this.root.IssueX509Svid(WorkloadId).ToX509Svid();
        Assert.That(svid.GetX509Svid(), Is.SameAs(svid));
    }
}
