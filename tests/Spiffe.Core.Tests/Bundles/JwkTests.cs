using System.Security.Cryptography;
using System.Text.Json;
using Spiffe.Testing;

namespace Spiffe.Core.Tests.Bundles;

[TestFixture]
public sealed class JwkTests
{
    public static IEnumerable<TestCaseData> MalformedKeys()
    {
        using var p256 = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var q = p256.ExportParameters(false).Q;
        var x = TestJwtSigner.Base64UrlEncode(q.X);
        var y = TestJwtSigner.Base64UrlEncode(q.Y);
        var shortX = TestJwtSigner.Base64UrlEncode(q.X.AsSpan(1));
        var otherY = TestJwtSigner.Base64UrlEncode(q.X);
        using var rsa = RSA.Create(2048);
        var r = rsa.ExportParameters(false);
        var n = TestJwtSigner.Base64UrlEncode(r.Modulus);
        var e = TestJwtSigner.Base64UrlEncode(r.Exponent);

        yield return new TestCaseData($$"""{"kty":"EC","crv":"P-256","x":"{{shortX}}","y":"{{y}}"}""", "\"x\" must be 32 bytes, got 31").SetName("B-7 short EC x coordinate");
        yield return new TestCaseData($$"""{"kty":"EC","crv":"P-256","x":"{{x}}A","y":"{{y}}"}""", "\"x\" must be 32 bytes, got 33").SetName("B-7 long EC x coordinate");
        yield return new TestCaseData($$"""{"kty":"EC","crv":"P-384","x":"{{x}}","y":"{{y}}"}""", "must be 48 bytes").SetName("B-7 P-256 coordinates labelled P-384");
        yield return new TestCaseData($$"""{"kty":"EC","crv":"P-256","x":"{{x}}","y":"{{otherY}}"}""", "not on the curve").SetName("B-7 point not on the curve");
        yield return new TestCaseData($$"""{"kty":"EC","crv":"secp256k1","x":"{{x}}","y":"{{y}}"}""", "unsupported curve").SetName("B-7 unsupported curve");
        yield return new TestCaseData($$"""{"kty":"EC","x":"{{x}}","y":"{{y}}"}""", "missing \"crv\"").SetName("B-7 missing crv");
        yield return new TestCaseData($$"""{"kty":"EC","crv":"P-256","x":"{{x}}"}""", "missing \"y\"").SetName("B-7 missing y");
        yield return new TestCaseData($$"""{"kty":"EC","crv":"P-256","x":"{{x}}=","y":"{{y}}"}""", "without padding").SetName("B-7 padded coordinate");
        yield return new TestCaseData($$"""{"kty":"EC","crv":"P-256","x":"{{x.Replace('-', '+').Replace('_', '/')}}+","y":"{{y}}"}""", "not base64url").SetName("B-7 standard base64 coordinate");
        yield return new TestCaseData($$"""{"kty":"RSA","n":"AA{{n}}","e":"{{e}}"}""", "\"n\" must not have a leading zero octet").SetName("B-7 RSA modulus with leading zero");
        yield return new TestCaseData($$"""{"kty":"RSA","n":"{{n}}","e":"AAEAAQ"}""", "\"e\" must not have a leading zero octet").SetName("B-7 RSA exponent with leading zero");
        yield return new TestCaseData($$"""{"kty":"RSA","n":"{{n}}"}""", "missing \"e\"").SetName("B-7 RSA exponent missing");
        yield return new TestCaseData($$"""{"kty":"RSA","n":"","e":"{{e}}"}""", "\"n\" is empty").SetName("B-7 RSA modulus empty");
        yield return new TestCaseData($$"""{"kty":"RSA","n":"{{n}}","e":"{{e}}","qi":"AQ"}""", "private key member \"qi\"").SetName("B-6 RSA private member");
        yield return new TestCaseData($$"""{"kty":"oct","k":"AQ"}""", "private key member \"k\"").SetName("B-6 symmetric key");
        yield return new TestCaseData($$"""{"kty":"EC","crv":1,"x":"{{x}}","y":"{{y}}"}""", "\"crv\" must be a string").SetName("crv not a string");
    }

    [TestCase(TestKeyType.EcP256, 43)]
    [TestCase(TestKeyType.EcP384, 64)]
    [TestCase(TestKeyType.EcP521, 88)]
    public void WriteThenRead_EcKey_FixedLengthCoordinatesRoundTrip(TestKeyType type, int coordinateChars)
    {
        // Arrange
        var key = TestKeys.PublicKeyOf(TestKeys.Create(type));

        // Act
        using var document = JsonDocument.Parse(Write(key));
        var read = Jwk.ReadPublicKey(document.RootElement);

        // Assert
        Assert.That(document.RootElement.GetProperty("x").GetString(), Has.Length.EqualTo(coordinateChars));
        Assert.That(document.RootElement.GetProperty("y").GetString(), Has.Length.EqualTo(coordinateChars));
        Assert.That(read.ExportSubjectPublicKeyInfo(), Is.EqualTo(key.ExportSubjectPublicKeyInfo()));
    }

    [Test]
    public void WriteThenRead_RsaKey_NoLeadingZeroAndRoundTrip()
    {
        // Arrange
        var key = TestKeys.PublicKeyOf(TestKeys.Create(TestKeyType.Rsa2048));

        // Act
        using var document = JsonDocument.Parse(Write(key));
        var read = Jwk.ReadPublicKey(document.RootElement);

        // Assert
        Assert.That(document.RootElement.GetProperty("e").GetString(), Is.EqualTo("AQAB"));
        Assert.That(Convert.FromBase64String(document.RootElement.GetProperty("n").GetString()!.Replace('-', '+').Replace('_', '/') + "=="), Has.Length.EqualTo(256));
        Assert.That(read.ExportSubjectPublicKeyInfo(), Is.EqualTo(key.ExportSubjectPublicKeyInfo()));
    }

    [TestCaseSource(nameof(MalformedKeys))]
    public void ReadPublicKey_MalformedKey_ThrowsNamingTheRule(string json, string rule)
    {
        // Arrange
        using var document = JsonDocument.Parse(json);

        // Act
        var ex = Assert.Throws<FormatException>(() => Jwk.ReadPublicKey(document.RootElement));

        // Assert
        Assert.That(ex.Message, Does.Contain(rule));
    }

    [Test]
    public void WritePublicKey_Ed25519_ThrowsArgument()
    {
        Assert.Throws<ArgumentException>(() => Write(TestKeys.CreateEd25519PublicKey()));
    }

    private static byte[] Write(System.Security.Cryptography.X509Certificates.PublicKey key)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            Jwk.WritePublicKey(writer, key);
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
