using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Spiffe.Testing;

namespace Spiffe.Core.Tests.Bundles;

[TestFixture]
public sealed class JwtBundleTests
{
    private static readonly TrustDomain Td = TrustDomain.Parse("example.org");

    public static IEnumerable<TestCaseData> MalformedSets()
    {
        var ec = EcJwk();
        yield return new TestCaseData("{}", "\"keys\" array").SetName("B-1 keys missing");
        yield return new TestCaseData("""{"keys":{}}""", "\"keys\" array").SetName("B-1 keys not an array");
        yield return new TestCaseData("[]", "must be a JSON object").SetName("JWKS not an object");
        yield return new TestCaseData("{", "not valid JSON").SetName("JWKS not JSON");
        yield return new TestCaseData($$"""{"keys":[{"kid":"a",{{ec}}},{{{ec}}}]}""", "key 1: \"kid\" is missing").SetName("B-8 one key without kid fails the set");
        yield return new TestCaseData($$"""{"keys":[{"kid":"",{{ec}}}]}""", "\"kid\" is missing or empty").SetName("B-6 empty kid");
        yield return new TestCaseData($$"""{"keys":[{"kid":"a",{{ec}}},{"kid":"a",{{ec}}}]}""", "duplicate \"kid\" \"a\"").SetName("B-6 duplicate kid");
        yield return new TestCaseData($$"""{"keys":[{"kid":"a","use":"x509-svid",{{ec}}}]}""", "\"use\" must be absent or \"jwt-svid\"").SetName("B-8 x509-svid key in a JWT bundle");
        yield return new TestCaseData("""{"keys":[{"kid":"a","kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}]}""", "unsupported key type \"OKP\"").SetName("B-8 OKP key");
        yield return new TestCaseData($$"""{"keys":[{"kid":"a","d":"AAAA",{{ec}}}]}""", "private key member \"d\"").SetName("B-6 private EC member");
        yield return new TestCaseData($$"""{"keys":[{"kid":"a",{{ec}},"kid":"b"}]}""", "not valid JSON").SetName("duplicate JSON member");
        yield return new TestCaseData("""{"keys":["a"]}""", "not a JSON object").SetName("key not an object");
        yield return new TestCaseData("""{"keys":[{"kid":1,"kty":"EC"}]}""", "\"kid\" must be a string").SetName("kid not a string");
    }

    [Test]
    public void Parse_PlainJwks_ReadsEveryKey()
    {
        // Arrange
        var json = $$"""{"keys":[{"kid":"ec",{{EcJwk()}}},{"kid":"jwt","use":"jwt-svid",{{EcJwk()}}}],"spiffe_sequence":1}""";

        // Act
        var bundle = JwtBundle.Parse(Td, Encoding.UTF8.GetBytes(json));

        // Assert
        Assert.That(bundle.JwtAuthorities.Keys, Is.EquivalentTo(new[] { "ec", "jwt" }));
        Assert.That(bundle.TryGetJwtAuthority("ec", out var key), Is.True);
        Assert.That(key!.Oid.Value, Is.EqualTo("1.2.840.10045.2.1"));
    }

    [Test]
    public void Parse_EmptyKeys_EmptyBundle()
    {
        var bundle = JwtBundle.Parse(Td, """{"keys":[]}"""u8);
        Assert.That(bundle.JwtAuthorities, Is.Empty);
    }

    [Test]
    public void Marshal_AllKeyTypes_RoundTripsWithoutUse()
    {
        // Arrange
        var keys = new[] { TestKeyType.EcP256, TestKeyType.EcP384, TestKeyType.EcP521, TestKeyType.Rsa2048 }
            .Select((type, i) => new KeyValuePair<string, System.Security.Cryptography.X509Certificates.PublicKey>("k" + i, TestKeys.PublicKeyOf(TestKeys.Create(type))))
            .ToList();
        var original = new JwtBundle(Td, keys);

        // Act
        var json = original.Marshal();
        var parsed = JwtBundle.Parse(Td, json);

        // Assert
        using var document = JsonDocument.Parse(json);
        Assert.That(document.RootElement.GetProperty("keys").EnumerateArray().Any(k => k.TryGetProperty("use", out _)), Is.False);
        Assert.That(parsed.JwtAuthorities.Keys, Is.EqualTo(original.JwtAuthorities.Keys));
        foreach (var (kid, key) in keys)
        {
            Assert.That(parsed.JwtAuthorities[kid].ExportSubjectPublicKeyInfo(), Is.EqualTo(key.ExportSubjectPublicKeyInfo()));
        }
    }

    [TestCaseSource(nameof(MalformedSets))]
    public void Parse_MalformedSet_ThrowsNamingTheRule(string json, string rule)
    {
        var ex = Assert.Throws<BundleException>(() => JwtBundle.Parse(Td, Encoding.UTF8.GetBytes(json)));
        Assert.That(ex.Message, Does.Contain(rule));
    }

    [Test]
    public void GetJwtBundleForTrustDomain_OtherTrustDomain_ThrowsNotFound()
    {
        var bundle = new JwtBundle(Td, []);
        Assert.Throws<BundleNotFoundException>(() => bundle.GetJwtBundleForTrustDomain(TrustDomain.Parse("other.org")));
    }

    [Test]
    public void GetJwtBundleForTrustDomain_OwnTrustDomain_ReturnsItself()
    {
        var bundle = new JwtBundle(Td, []);
        Assert.That(bundle.GetJwtBundleForTrustDomain(Td), Is.SameAs(bundle));
    }

    [Test]
    public void Constructor_EmptyKeyId_ThrowsArgument()
    {
        var key = TestKeys.PublicKeyOf(TestKeys.Create(TestKeyType.EcP256));
        Assert.Throws<ArgumentException>(() => _ = new JwtBundle(Td, [new(string.Empty, key)]));
    }

    [Test]
    public void Constructor_DuplicateKeyId_ThrowsArgument()
    {
        var key = TestKeys.PublicKeyOf(TestKeys.Create(TestKeyType.EcP256));
        Assert.Throws<ArgumentException>(() => _ = new JwtBundle(Td, [new("a", key), new("a", key)]));
    }

    [Test]
    public void Constructor_Ed25519Key_ThrowsArgument()
    {
        Assert.Throws<ArgumentException>(() => _ = new JwtBundle(Td, [new("a", TestKeys.CreateEd25519PublicKey())]));
    }

    [Test]
    public void Constructor_NonNistCurve_ThrowsArgument()
    {
        using var brainpool = ECDsa.Create(ECCurve.NamedCurves.brainpoolP256r1);
        Assert.Throws<ArgumentException>(() => _ = new JwtBundle(Td, [new("a", TestKeys.PublicKeyOf(brainpool))]));
    }

    private static string EcJwk()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var p = key.ExportParameters(false);
        return $$"""
            "kty":"EC","crv":"P-256","x":"{{TestJwtSigner.Base64UrlEncode(p.Q.X)}}","y":"{{TestJwtSigner.Base64UrlEncode(p.Q.Y)}}"
            """;
    }
}
