using System.Security.Cryptography;
using System.Text;
using Spiffe.Testing;

namespace Spiffe.Core.Tests.Bundles;

[TestFixture]
public sealed class X509BundleTests
{
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TrustDomain Td = TrustDomain.Parse("example.org");

    private TestCa first = null!;
    private TestCa second = null!;

    [OneTimeSetUp]
    public void CreateCas()
    {
        this.first = TestCa.CreateRoot(Td, Now);
        this.second = TestCa.CreateRoot(Td, Now, new TestCertificateOptions { KeyType = TestKeyType.Rsa2048 });
    }

    [Test]
    public void ParseRaw_ConcatenatedDer_KeepsOrderAndRoundTrips()
    {
        // Arrange
        byte[] der = [.. this.first.Certificate.RawData, .. this.second.Certificate.RawData];

        // Act
        var bundle = X509Bundle.ParseRaw(Td, der);

        // Assert
        Assert.That(bundle.TrustDomain, Is.EqualTo(Td));
        Assert.That(bundle.X509Authorities.Select(c => c.Thumbprint), Is.EqualTo(new[] { this.first.Certificate.Thumbprint, this.second.Certificate.Thumbprint }));
        Assert.That(bundle.Marshal(), Is.EqualTo(der));
    }

    [Test]
    public void Parse_Pem_RoundTripsThroughMarshalPem()
    {
        // Arrange
        var original = new X509Bundle(Td, [this.first.Certificate, this.second.Certificate]);

        // Act
        var pem = original.MarshalPem();
        var parsed = X509Bundle.Parse(Td, pem);

        // Assert
        Assert.That(pem, Does.StartWith("-----BEGIN CERTIFICATE-----"));
        Assert.That(parsed.Marshal(), Is.EqualTo(original.Marshal()));
    }

    [Test]
    public void ParseRaw_Empty_Throws()
    {
        var ex = Assert.Throws<BundleException>(() => X509Bundle.ParseRaw(Td, []));
        Assert.That(ex.Message, Does.Contain("holds no certificate"));
    }

    [Test]
    public void ParseRaw_Pem_Throws()
    {
        // Arrange
        var pem = Encoding.ASCII.GetBytes(new X509Bundle(Td, [this.first.Certificate]).MarshalPem());

        // Act
        var ex = Assert.Throws<BundleException>(() => X509Bundle.ParseRaw(Td, pem));

        // Assert
        Assert.That(ex.Message, Does.Contain("not a DER SEQUENCE"));
    }

    [Test]
    public void ParseRaw_TruncatedDer_Throws()
    {
        // Arrange
        var der = this.first.Certificate.RawData[..^5];

        // Act
        var ex = Assert.Throws<BundleException>(() => X509Bundle.ParseRaw(Td, der));

        // Assert
        Assert.That(ex.Message, Does.Contain("not valid DER"));
    }

    [Test]
    public void Parse_NoCertificateBlock_Throws()
    {
        var ex = Assert.Throws<BundleException>(() => X509Bundle.Parse(Td, "no pem here"));
        Assert.That(ex.Message, Does.Contain("holds no certificate"));
    }

    [Test]
    public void Parse_PrivateKeyBlock_Throws()
    {
        // Arrange
        var pem = new X509Bundle(Td, [this.first.Certificate]).MarshalPem() + this.first.Key.ExportPkcs8PrivateKeyPem();

        // Act
        var ex = Assert.Throws<BundleException>(() => X509Bundle.Parse(Td, pem));

        // Assert
        Assert.That(ex.Message, Does.Contain("expected PEM block type \"CERTIFICATE\", got \"PRIVATE KEY\""));
    }

    [Test]
    public void Parse_CorruptBase64_Throws()
    {
        // Arrange
        var der = PemEncoding.WriteString("CERTIFICATE", [0x30, 0x03, 0x02, 0x01, 0x01]);

        // Act
        var ex = Assert.Throws<BundleException>(() => X509Bundle.Parse(Td, der));

        // Assert
        Assert.That(ex.Message, Does.Contain("cannot be parsed"));
    }

    [Test]
    public void GetX509BundleForTrustDomain_OwnTrustDomain_ReturnsItself()
    {
        var bundle = this.first.CreateX509Bundle();
        Assert.That(bundle.GetX509BundleForTrustDomain(Td), Is.SameAs(bundle));
    }

    [Test]
    public void GetX509BundleForTrustDomain_OtherTrustDomain_ThrowsNotFound()
    {
        // Arrange
        var bundle = this.first.CreateX509Bundle();

        // Act
        var ex = Assert.Throws<BundleNotFoundException>(() => bundle.GetX509BundleForTrustDomain(TrustDomain.Parse("other.org")));

        // Assert
        Assert.That(ex.Message, Does.Contain("\"other.org\""));
    }

    [Test]
    public void Constructor_ZeroTrustDomain_ThrowsArgument()
    {
        Assert.Throws<ArgumentException>(() => _ = new X509Bundle(default, []));
    }
}
