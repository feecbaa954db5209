using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Spiffe.Server.Ca;

namespace Spiffe.Server.Tests.Ca;

[TestFixture]
public sealed class CsrParserTests
{
    public static IEnumerable<TestCaseData> SupportedKeys()
    {
        yield return new TestCaseData("ec-p256");
        yield return new TestCaseData("ec-p384");
        yield return new TestCaseData("rsa-2048");
    }

    [TestCaseSource(nameof(SupportedKeys))]
    public void Parse_ValidCsr_ReturnsItsPublicKey(string keyType)
    {
        // Arrange
        using AsymmetricAlgorithm key = keyType switch
        {
            "ec-p256" => ECDsa.Create(ECCurve.NamedCurves.nistP256),
            "ec-p384" => ECDsa.Create(ECCurve.NamedCurves.nistP384),
            _ => RSA.Create(2048),
        };
        var csr = Csr(key, keyType == "ec-p384" ? HashAlgorithmName.SHA384 : HashAlgorithmName.SHA256);

        // Act
        var publicKey = CsrParser.Parse(csr);

        // Assert
        Assert.That(publicKey.ExportSubjectPublicKeyInfo(), Is.EqualTo(key.ExportSubjectPublicKeyInfo()));
    }

    [Test]
    public void Parse_TamperedSignature_FailsDoesNotVerify()
    {
        // Arrange
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var csr = Csr(key, HashAlgorithmName.SHA256);
        csr[^5] ^= 0x01;

        // Act
        var ex = Assert.Throws<CryptographicException>(() => CsrParser.Parse(csr));

        // Assert
        Assert.That(ex!.Message, Does.Contain("signature").Or.Contain("DER"));
    }

    [Test]
    public void Parse_SignedByAnotherKey_FailsDoesNotVerify()
    {
        // Arrange
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(new X500DistinguishedName("CN=x"), new PublicKey(key), HashAlgorithmName.SHA256);
        var csr = request.CreateSigningRequest(X509SignatureGenerator.CreateForECDsa(other));

        // Act
        var ex = Assert.Throws<CryptographicException>(() => CsrParser.Parse(csr));

        // Assert
        Assert.That(ex!.Message, Is.EqualTo("CSR signature does not verify"));
    }

    [TestCase(new byte[0], "CSR is empty")]
    [TestCase(new byte[] { 0x30, 0x03, 0x02, 0x01, 0x00 }, "CSR is not valid DER")]
    [TestCase(new byte[] { 0x04, 0x02, 0x00, 0x00 }, "CSR is not valid DER")]
    public void Parse_Garbage_FailsWithReason(byte[] csr, string expected)
    {
        // Act
        var ex = Assert.Throws<CryptographicException>(() => CsrParser.Parse(csr));

        // Assert
        Assert.That(ex!.Message, Does.StartWith(expected));
    }

    [Test]
    public void Parse_Rsa1024_FailsKeyTooSmall()
    {
        // Arrange
        using var key = RSA.Create(1024);

        // Act
        var ex = Assert.Throws<CryptographicException>(() => CsrParser.Parse(Csr(key, HashAlgorithmName.SHA256)));

        // Assert
        Assert.That(ex!.Message, Is.EqualTo("CSR RSA key must be at least 2048 bits"));
    }

    [Test]
    public void Parse_RsaPssSignature_FailsUnsupportedAlgorithm()
    {
        // Arrange
        using var key = RSA.Create(2048);
        var csr = new CertificateRequest("CN=x", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pss).CreateSigningRequest();

        // Act
        var ex = Assert.Throws<CryptographicException>(() => CsrParser.Parse(csr));

        // Assert
        Assert.That(ex!.Message, Does.Contain("is not supported"));
    }

    private static byte[] Csr(AsymmetricAlgorithm key, HashAlgorithmName hash) => key switch
    {
        ECDsa ec => new CertificateRequest("C=US, O=SPIRE", ec, hash).CreateSigningRequest(),
        RSA rsa => new CertificateRequest("C=US, O=SPIRE", rsa, hash, RSASignaturePadding.Pkcs1).CreateSigningRequest(),
        _ => throw new NotSupportedException(),
    };
}
