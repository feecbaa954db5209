using System.Security.Cryptography.X509Certificates;
using Spiffe.Testing;

namespace Spiffe.Core.Tests.X509;

[TestFixture]
public sealed class X509SvidVerifierTests
{
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TrustDomain Td = TrustDomain.Parse("example.org");
    private static readonly SpiffeId WorkloadId = SpiffeId.Parse("spiffe://example.org/web");

    private TestCa root = null!;
    private TestCa intermediate = null!;
    private X509Bundle bundle = null!;

    [OneTimeSetUp]
    public void CreateCa()
    {
        this.root = TestCa.CreateRoot(Td, Now);
        this.intermediate = this.root.CreateIntermediate();
        this.bundle = this.root.CreateX509Bundle();
    }

    [Test]
    public void Verify_TwoLevelChain_ReturnsIdAndChainToRoot()
    {
        // Arrange
        var material = this.intermediate.IssueX509Svid(WorkloadId);

        // Act
        var result = X509SvidVerifier.Verify(material.Certificates, this.bundle, Now);

        // Assert
        Assert.That(result.Id, Is.EqualTo(WorkloadId));
        Assert.That(result.Chain, Is.EqualTo(new[] { material.Leaf, this.intermediate.Certificate, this.root.Certificate }).AsCollection);
        Assert.That(result.Chain[0], Is.SameAs(material.Leaf));
    }

    [Test]
    public void Verify_LeafSignedByRoot_Verifies()
    {
        // Arrange
        var material = this.root.IssueX509Svid(WorkloadId);

        // Act
        var result = X509SvidVerifier.Verify(material.Certificates, this.bundle, Now);

        // Assert
        Assert.That(result.Chain, Has.Count.EqualTo(2));
    }

    [Test]
    public void Verify_BundleSetWithSeveralTrustDomains_PicksLeafTrustDomain()
    {
        // Arrange
        var other = TestCa.CreateRoot(TrustDomain.Parse("other.org"), Now);
        var set = new X509BundleSet([other.CreateX509Bundle(), this.bundle]);
        var material = this.intermediate.IssueX509Svid(WorkloadId);

        // Act
        var result = X509SvidVerifier.Verify(material.Certificates, set, Now);

        // Assert
        Assert.That(result.Id, Is.EqualTo(WorkloadId));
    }

    [Test]
    public void Verify_ExtendedKeyUsageClientOnly_NotEnforced()
    {
        // Arrange
        var material = this.root.IssueX509Svid(WorkloadId, new TestCertificateOptions { ExtendedKeyUsages = ["1.3.6.1.5.5.7.3.2"] });

        // Act
        var result = X509SvidVerifier.Verify(material.Certificates, this.bundle, Now);

        // Assert
        Assert.That(result.Id, Is.EqualTo(WorkloadId));
    }

    [Test]
    public void Verify_Expired_Throws()
    {
        // Arrange
        var material = this.intermediate.IssueX509Svid(WorkloadId);

        // Act
        var ex = Assert.Throws<X509SvidException>(() => X509SvidVerifier.Verify(material.Certificates, this.bundle, Now.AddHours(2)));

        // Assert
        Assert.That(ex.Message, Does.Contain("verification failed").And.Contain(nameof(X509ChainStatusFlags.NotTimeValid)));
    }

    [Test]
    public void Verify_NotYetValid_Throws()
    {
        // Arrange
        var material = this.intermediate.IssueX509Svid(WorkloadId, new TestCertificateOptions { NotBefore = Now.AddMinutes(5) });

        // Act
        var ex = Assert.Throws<X509SvidException>(() => X509SvidVerifier.Verify(material.Certificates, this.bundle, Now));

        // Assert
        Assert.That(ex.Message, Does.Contain(nameof(X509ChainStatusFlags.NotTimeValid)));
    }

    [Test]
    public void Verify_ExpiredIntermediate_Throws()
    {
        // Arrange
        var shortLived = this.root.CreateIntermediate(new TestCertificateOptions { NotAfter = Now.AddMinutes(1) });
        var material = shortLived.IssueX509Svid(WorkloadId, new TestCertificateOptions { NotAfter = Now.AddHours(1) });

        // Act
        var ex = Assert.Throws<X509SvidException>(() => X509SvidVerifier.Verify(material.Certificates, this.bundle, Now.AddMinutes(30)));

        // Assert
        Assert.That(ex.Message, Does.Contain(nameof(X509ChainStatusFlags.NotTimeValid)));
    }

    [Test]
    public void Verify_MissingIntermediate_Throws()
    {
        // Arrange
        var material = this.intermediate.IssueX509Svid(WorkloadId);

        // Act
        var ex = Assert.Throws<X509SvidException>(() => X509SvidVerifier.Verify([material.Leaf], this.bundle, Now));

        // Assert
        Assert.That(ex.Message, Does.Contain("verification failed").And.Contain(nameof(X509ChainStatusFlags.PartialChain)));
    }

    [Test]
    public void Verify_BundleOfAnotherCaForSameTrustDomain_Throws()
    {
        // Arrange
        var impostor = TestCa.CreateRoot(Td, Now);
        var material = impostor.IssueX509Svid(WorkloadId);

        // Act
        var ex = Assert.Throws<X509SvidException>(() => X509SvidVerifier.Verify(material.Certificates, this.bundle, Now));

        // Assert
        Assert.That(ex.Message, Does.Contain("verification failed").And.Contain(nameof(X509ChainStatusFlags.PartialChain)));
    }

    [Test]
    public void Verify_NoBundleForLeafTrustDomain_Throws()
    {
        // Arrange
        var other = TestCa.CreateRoot(TrustDomain.Parse("other.org"), Now);
        var material = other.IssueX509Svid(SpiffeId.Parse("spiffe://other.org/web"));

        // Act
        var ex = Assert.Throws<X509SvidException>(() => X509SvidVerifier.Verify(material.Certificates, this.bundle, Now));

        // Assert
        Assert.That(ex.Message, Does.Contain("no X.509 bundle for trust domain \"other.org\""));
    }

    [Test]
    public void Verify_LeafClaimsOtherTrustDomainButSignedByTrustedCa_Throws()
    {
        // Arrange
        var other = TestCa.CreateRoot(TrustDomain.Parse("other.org"), Now);
        var set = new X509BundleSet([other.CreateX509Bundle(), this.bundle]);
        var material = this.root.IssueX509Svid(SpiffeId.Parse("spiffe://other.org/web"));

        // Act
        var ex = Assert.Throws<X509SvidException>(() => X509SvidVerifier.Verify(material.Certificates, set, Now));

        // Assert
        Assert.That(ex.Message, Does.Contain("verification failed").And.Contain(nameof(X509ChainStatusFlags.PartialChain)));
    }

    [Test]
    public void Verify_EmptyBundle_Throws()
    {
        // Arrange
        var material = this.root.IssueX509Svid(WorkloadId);

        // Act
        var ex = Assert.Throws<X509SvidException>(() => X509SvidVerifier.Verify(material.Certificates, new X509Bundle(Td, []), Now));

        // Assert
        Assert.That(ex.Message, Does.Contain("has no authorities"));
    }

    [Test]
    public void Verify_NonCaIntermediate_Throws()
    {
        // Arrange
        var notCa = this.root.CreateIntermediate(new TestCertificateOptions { IsCa = false });
        var material = notCa.IssueX509Svid(WorkloadId);

        // Act
        var ex = Assert.Throws<X509SvidException>(() => X509SvidVerifier.Verify(material.Certificates, this.bundle, Now));

        // Assert
        Assert.That(ex.Message, Does.Contain("verification failed").And.Contain(nameof(X509ChainStatusFlags.InvalidBasicConstraints)));
    }

    [Test]
    public void Verify_PathLengthExceeded_Throws()
    {
        // Arrange
        var limited = this.root.CreateIntermediate(new TestCertificateOptions { PathLength = 0 });
        var below = limited.CreateIntermediate();
        var material = below.IssueX509Svid(WorkloadId);

        // Act
        var ex = Assert.Throws<X509SvidException>(() => X509SvidVerifier.Verify(material.Certificates, this.bundle, Now));

        // Assert
        Assert.That(ex.Message, Does.Contain("verification failed").And.Contain(nameof(X509ChainStatusFlags.InvalidBasicConstraints)));
    }

    [Test]
    public void Verify_UnknownCriticalExtension_Throws()
    {
        // Arrange
        var material = this.root.IssueX509Svid(WorkloadId, new TestCertificateOptions
        {
            ExtraExtensions = [new X509Extension("1.2.3.4.5", [0x05, 0x00], critical: true)],
        });

        // Act
        var ex = Assert.Throws<X509SvidException>(() => X509SvidVerifier.Verify(material.Certificates, this.bundle, Now));

        // Assert
        Assert.That(ex.Message, Does.Contain("verification failed").And.Contain(nameof(X509ChainStatusFlags.HasNotSupportedCriticalExtension)));
    }

    [Test]
    public void Verify_Sha1SignedLeaf_Throws()
    {
        // Arrange
        var rsaRoot = TestCa.CreateRoot(Td, Now, new TestCertificateOptions { KeyType = TestKeyType.Rsa2048 });
        var material = rsaRoot.IssueX509Svid(WorkloadId, new TestCertificateOptions { SignatureHash = System.Security.Cryptography.HashAlgorithmName.SHA1 });

        // Act
        var ex = Assert.Throws<X509SvidException>(() => X509SvidVerifier.Verify(material.Certificates, rsaRoot.CreateX509Bundle(), Now));

        // Assert
        Assert.That(ex.Message, Does.Contain("signature algorithm"));
    }

    [TestCase(true, "must not be a CA")]
    [TestCase(false, "must not include keyCertSign")]
    public void Verify_LeafWithSigningPowers_Throws(bool isCa, string rule)
    {
        // Arrange
        var options = isCa
            ? new TestCertificateOptions { IsCa = true }
            : new TestCertificateOptions { KeyUsage = X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyCertSign };
        var material = this.root.IssueX509Svid(WorkloadId, options);

        // Act
        var ex = Assert.Throws<X509SvidException>(() => X509SvidVerifier.Verify(material.Certificates, this.bundle, Now));

        // Assert
        Assert.That(ex.Message, Does.Contain(rule));
    }

    [Test]
    public void Verify_CrlSignOnLeaf_Throws()
    {
        // Arrange
        var material = this.root.IssueX509Svid(WorkloadId, new TestCertificateOptions { KeyUsage = X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.CrlSign });

        // Act
        var ex = Assert.Throws<X509SvidException>(() => X509SvidVerifier.Verify(material.Certificates, this.bundle, Now));

        // Assert
        Assert.That(ex.Message, Does.Contain("must not include cRLSign"));
    }

    [TestCase(new string[0], "no URI SAN")]
    [TestCase(new[] { "spiffe://example.org/a", "spiffe://example.org/b" }, "exactly one URI SAN")]
    [TestCase(new[] { "spiffe://example.org" }, "non-root path")]
    [TestCase(new[] { "https://example.org/web" }, "not a valid SPIFFE ID")]
    public void Verify_BadLeafUriSan_Throws(string[] uris, string rule)
    {
        // Arrange
        var material = this.root.IssueX509Svid(WorkloadId, new TestCertificateOptions { UriSans = uris, DnsSans = ["web"] });

        // Act
        var ex = Assert.Throws<X509SvidException>(() => X509SvidVerifier.Verify(material.Certificates, this.bundle, Now));

        // Assert
        Assert.That(ex.Message, Does.Contain(rule));
    }

    [Test]
    public void Verify_EmptyChain_Throws()
    {
        var ex = Assert.Throws<X509SvidException>(() => X509SvidVerifier.Verify([], this.bundle, Now));
        Assert.That(ex.Message, Does.Contain("empty certificate chain"));
    }
}
