using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Spiffe.Agent.ServerApi.Attestation;
using Spiffe.Core;
using Spiffe.Testing;

namespace Spiffe.Agent.ServerApi.Tests.Attestation;

[TestFixture]
public sealed class X509PopProtocolTests
{
    // Go encoding/json of x509pop.Challenge{ECDSASignature: &ECDSASignatureChallenge{Nonce: 0x00..0x1f}}.
    private const string EcdsaChallenge = "{\"rsa_signature\":null,\"ecdsa_signature\":{\"nonce\":\"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\"}}";

    // Go encoding/json of x509pop.Challenge{RSASignature: &RSASignatureChallenge{Nonce: 0xff repeated}}.
    private const string RsaChallenge = "{\"rsa_signature\":{\"nonce\":\"//////////////////////////////////////////8=\"},\"ecdsa_signature\":null}";

    private static readonly byte[] ChallengeNonce = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
    private static readonly byte[] ResponseNonce = Enumerable.Repeat((byte)0xAA, 32).ToArray();

    [Test]
    public void CreatePayload_Chain_IsGoJsonWithStandardPaddedBase64LeafFirst()
    {
        // Arrange
        var ca = TestCa.CreateRoot(TrustDomain.Parse("example.org"), new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero));
        var intermediate = ca.CreateIntermediate();
        var leaf = intermediate.IssueX509Svid(SpiffeId.Parse("spiffe://example.org/node"));

        // Act
        var payload = Encoding.UTF8.GetString(X509PopProtocol.CreatePayload(leaf.Certificates));

        // Assert
        var expected = "{\"certificates\":[\"" + Convert.ToBase64String(leaf.Certificates[0].RawData) + "\",\"" +
            Convert.ToBase64String(leaf.Certificates[1].RawData) + "\"]}";
        Assert.That(payload, Is.EqualTo(expected));
    }

    [Test]
    public void CreateResponse_EcdsaChallenge_SignsSha256OfBothNoncesWithBigEndianRAndS()
    {
        // Arrange
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        // Act
        var response = Encoding.UTF8.GetString(X509PopProtocol.CreateResponse(Encoding.UTF8.GetBytes(EcdsaChallenge), key, ResponseNonce));

        // Assert
        Assert.That(response, Does.Match("^\\{\"rsa_signature\":null,\"ecdsa_signature\":\\{\"nonce\":\"[^\"]+\",\"r\":\"[^\"]+\",\"s\":\"[^\"]+\"\\}\\}$"));
        using var document = JsonDocument.Parse(response);
        var ecdsa = document.RootElement.GetProperty("ecdsa_signature");
        Assert.That(ecdsa.GetProperty("nonce").GetBytesFromBase64(), Is.EqualTo(ResponseNonce));
        var r = ecdsa.GetProperty("r").GetBytesFromBase64();
        var s = ecdsa.GetProperty("s").GetBytesFromBase64();
        Assert.That(r[0], Is.Not.Zero, "r is minimal big-endian (Go big.Int.Bytes)");
        Assert.That(s[0], Is.Not.Zero, "s is minimal big-endian (Go big.Int.Bytes)");
        var digest = SHA256.HashData([.. ChallengeNonce, .. ResponseNonce]);
        byte[] signature = [.. LeftPad(r, 32), .. LeftPad(s, 32)];
        Assert.That(key.VerifyHash(digest, signature), Is.True);
    }

    [Test]
    public void CreateResponse_RsaChallenge_SignsWithPssSha256()
    {
        // Arrange
        using var key = RSA.Create(2048);

        // Act
        var response = Encoding.UTF8.GetString(X509PopProtocol.CreateResponse(Encoding.UTF8.GetBytes(RsaChallenge), key, ResponseNonce));

        // Assert
        Assert.That(response, Does.Match("^\\{\"rsa_signature\":\\{\"nonce\":\"[^\"]+\",\"signature\":\"[^\"]+\"\\},\"ecdsa_signature\":null\\}$"));
        using var document = JsonDocument.Parse(response);
        var rsa = document.RootElement.GetProperty("rsa_signature");
        Assert.That(rsa.GetProperty("nonce").GetBytesFromBase64(), Is.EqualTo(ResponseNonce));
        var digest = SHA256.HashData([.. Enumerable.Repeat((byte)0xFF, 32), .. ResponseNonce]);
        Assert.That(key.VerifyHash(digest, rsa.GetProperty("signature").GetBytesFromBase64(), HashAlgorithmName.SHA256, RSASignaturePadding.Pss), Is.True);
    }

    [Test]
    public void CreateResponse_RandomNonce_DiffersEveryTime()
    {
        // Arrange
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var challenge = Encoding.UTF8.GetBytes(EcdsaChallenge);

        // Act
        var first = JsonDocument.Parse(X509PopProtocol.CreateResponse(challenge, key)).RootElement.GetProperty("ecdsa_signature").GetProperty("nonce").GetString();
        var second = JsonDocument.Parse(X509PopProtocol.CreateResponse(challenge, key)).RootElement.GetProperty("ecdsa_signature").GetProperty("nonce").GetString();

        // Assert
        Assert.That(Convert.FromBase64String(first!), Has.Length.EqualTo(32));
        Assert.That(first, Is.Not.EqualTo(second));
    }

    [TestCase(RsaChallenge, TestName = "CreateResponse_EcdsaKeyWithRsaChallenge_Throws")]
    [TestCase("{\"rsa_signature\":null,\"ecdsa_signature\":{\"nonce\":\"AAEC\"}}", TestName = "CreateResponse_ShortNonce_Throws")]
    [TestCase("{\"rsa_signature\":null,\"ecdsa_signature\":{}}", TestName = "CreateResponse_MissingNonce_Throws")]
    [TestCase("not json", TestName = "CreateResponse_NotJson_Throws")]
    public void CreateResponse_BadChallenge_ThrowsFormatException(string challenge)
    {
        // Arrange
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        // Act + Assert
        Assert.Throws<FormatException>(() => X509PopProtocol.CreateResponse(Encoding.UTF8.GetBytes(challenge), key, ResponseNonce));
    }

    private static byte[] LeftPad(byte[] value, int length) => [.. new byte[length - value.Length], .. value];
}
