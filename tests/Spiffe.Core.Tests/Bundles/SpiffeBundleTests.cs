using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Spiffe.Testing;

namespace Spiffe.Core.Tests.Bundles;

[TestFixture]
public sealed class SpiffeBundleTests
{
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TrustDomain Td = TrustDomain.Parse("example.org");

    private TestCa ecRoot = null!;
    private TestCa rsaRoot = null!;
    private PublicKey jwtKey = null!;

    [OneTimeSetUp]
    public void CreateKeys()
    {
        // The x5c alphabet and padding cases need a certificate whose base64 has '+' or '/' and ends in padding.
        do
        {
            this.ecRoot = TestCa.CreateRoot(Td, Now);
        }
        while (this.ecRoot.Certificate.RawData.Length % 3 == 0 || !Convert.ToBase64String(this.ecRoot.Certificate.RawData).AsSpan().ContainsAny('+', '/'));

        this.rsaRoot = TestCa.CreateRoot(Td, Now, new TestCertificateOptions { KeyType = TestKeyType.Rsa2048 });
        this.jwtKey = TestKeys.PublicKeyOf(TestKeys.Create(TestKeyType.EcP384));
    }

    [Test]
    public void Marshal_FullBundle_RoundTrips()
    {
        // Arrange
        var original = this.CreateBundle();

        // Act
        var parsed = SpiffeBundle.Parse(Td, original.Marshal());

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(parsed.SequenceNumber, Is.EqualTo(42UL));
            Assert.That(parsed.RefreshHint, Is.EqualTo(TimeSpan.FromMinutes(5)));
            Assert.That(parsed.X509Authorities.Select(c => c.Thumbprint), Is.EqualTo(original.X509Authorities.Select(c => c.Thumbprint)));
            Assert.That(parsed.JwtAuthorities.Keys, Is.EqualTo(new[] { "jwt-1" }));
            Assert.That(parsed.JwtAuthorities["jwt-1"].ExportSubjectPublicKeyInfo(), Is.EqualTo(this.jwtKey.ExportSubjectPublicKeyInfo()));
        });
    }

    [Test]
    public void Marshal_FullBundle_WritesSpecShape()
    {
        // Act
        var json = JsonNode.Parse(this.CreateBundle().Marshal())!;

        // Assert
        var keys = json["keys"]!.AsArray();
        Assert.Multiple(() =>
        {
            Assert.That(json["spiffe_sequence"]!.GetValue<ulong>(), Is.EqualTo(42UL));
            Assert.That(json["spiffe_refresh_hint"]!.GetValue<long>(), Is.EqualTo(300L));
            Assert.That(keys, Has.Count.EqualTo(3));
            Assert.That(keys[0]!["use"]!.GetValue<string>(), Is.EqualTo("x509-svid"));
            Assert.That(keys[0]!["kid"], Is.Null);
            Assert.That(keys[0]!["x5c"]!.AsArray(), Has.Count.EqualTo(1));
            Assert.That(keys[0]!["x5c"]![0]!.GetValue<string>(), Is.EqualTo(Convert.ToBase64String(this.ecRoot.Certificate.RawData)));
            Assert.That(keys[0]!["x"]!.GetValue<string>(), Has.Length.EqualTo(43));
            Assert.That(keys[1]!["kty"]!.GetValue<string>(), Is.EqualTo("RSA"));
            Assert.That(keys[2]!["use"]!.GetValue<string>(), Is.EqualTo("jwt-svid"));
            Assert.That(keys[2]!["kid"]!.GetValue<string>(), Is.EqualTo("jwt-1"));
            Assert.That(keys[2]!["x"]!.GetValue<string>(), Has.Length.EqualTo(64));
        });
    }

    [Test]
    public void Marshal_NoSequenceOrHint_OmitsMembers()
    {
        // Act
        var json = JsonNode.Parse(new SpiffeBundle(Td, [], []).Marshal())!.AsObject();

        // Assert
        Assert.That(json.Select(p => p.Key), Is.EqualTo(new[] { "keys" }));
    }

    [Test]
    public void Parse_EmptyKeys_EmptyBundle()
    {
        // Act
        var bundle = SpiffeBundle.Parse(Td, """{"keys":[]}"""u8);

        // Assert
        Assert.That(bundle.X509Authorities, Is.Empty);
        Assert.That(bundle.JwtAuthorities, Is.Empty);
        Assert.That(bundle.SequenceNumber, Is.Null);
        Assert.That(bundle.RefreshHint, Is.Null);
    }

    [Test]
    public void Parse_UnknownUseAndKeyType_Ignored()
    {
        // Arrange
        var json = Document(
            this.JwtKey("a") with { Use = "wit-svid" },
            this.JwtKey("b") with { Use = null },
            this.JwtKey("c") with { Use = "JWT-SVID" },
            new Jwk("OKP", "jwt-svid", "d", []),
            this.JwtKey("e"));

        // Act
        var bundle = SpiffeBundle.Parse(Td, json);

        // Assert
        Assert.That(bundle.JwtAuthorities.Keys, Is.EqualTo(new[] { "e" }));
    }

    public static IEnumerable<TestCaseData> Malformed()
    {
        yield return new TestCaseData("missing keys", "\"keys\" array").SetName("B-1 keys missing");
        yield return new TestCaseData("x5c count 2", "exactly one \"x5c\" entry").SetName("B-5 x5c with two certificates");
        yield return new TestCaseData("x5c count 0", "exactly one \"x5c\" entry").SetName("B-5 x5c empty");
        yield return new TestCaseData("x5c missing", "exactly one \"x5c\" entry").SetName("B-5 x5c missing");
        yield return new TestCaseData("x5c base64url", "standard base64, not base64url").SetName("B-5 x5c in base64url");
        yield return new TestCaseData("x5c unpadded", "padded standard base64").SetName("B-5 x5c without padding");
        yield return new TestCaseData("x5c two certificates in one entry", "exactly one DER certificate").SetName("B-5 x5c entry with two certificates");
        yield return new TestCaseData("kid on x509-svid", "must not have \"kid\"").SetName("B-5 kid on x509-svid key");
        yield return new TestCaseData("x509 key mismatch", "do not match the \"x5c\" certificate").SetName("B-5 key members differ from certificate");
        yield return new TestCaseData("x509 private member", "private key member \"d\"").SetName("B-6 private member on x509-svid key");
        yield return new TestCaseData("jwt no kid", "\"kid\" is missing or empty").SetName("B-6 jwt-svid key without kid");
        yield return new TestCaseData("jwt duplicate kid", "duplicate \"kid\"").SetName("B-6 duplicate kid");
        yield return new TestCaseData("jwt private member", "private key member \"d\"").SetName("B-6 private member on jwt-svid key");
        yield return new TestCaseData("jwt rsa private member", "private key member \"p\"").SetName("B-6 private RSA member");
        yield return new TestCaseData("sequence negative", "\"spiffe_sequence\" must be an unsigned integer").SetName("B-2 negative sequence");
        yield return new TestCaseData("sequence string", "\"spiffe_sequence\" must be an unsigned integer").SetName("B-2 string sequence");
        yield return new TestCaseData("refresh fractional", "\"spiffe_refresh_hint\" must be a non-negative integer").SetName("B-3 fractional refresh hint");
        yield return new TestCaseData("refresh negative", "\"spiffe_refresh_hint\" must be a non-negative integer").SetName("B-3 negative refresh hint");
        yield return new TestCaseData("duplicate member", "not valid JSON").SetName("duplicate JSON member");
    }

    [TestCaseSource(nameof(Malformed))]
    public void Parse_MalformedBundle_ThrowsNamingTheRule(string defect, string rule)
    {
        // Arrange
        var json = this.MalformedDocument(defect);

        // Act
        var ex = Assert.Throws<BundleException>(() => SpiffeBundle.Parse(Td, json));

        // Assert
        Assert.That(ex.Message, Does.Contain(rule));
    }

    [Test]
    public void Parse_ChecklistExample_ReadsEverything()
    {
        // Arrange
        var x509 = X509Key(this.ecRoot.Certificate);
        var jwt = this.JwtKey("k1");
        var json = $$"""{"spiffe_sequence":3,"spiffe_refresh_hint":300,"keys":[{{x509.ToJson()}},{{jwt.ToJson()}}]}""";

        // Act
        var bundle = SpiffeBundle.Parse(Td, Encoding.UTF8.GetBytes(json));

        // Assert
        Assert.That(bundle.SequenceNumber, Is.EqualTo(3UL));
        Assert.That(bundle.X509Authorities, Has.Count.EqualTo(1));
        Assert.That(bundle.TryGetJwtAuthority("k1", out _), Is.True);
    }

    [Test]
    public void ToX509BundleAndToJwtBundle_SplitTheAuthorities()
    {
        // Arrange
        var bundle = this.CreateBundle();

        // Act
        var x509 = bundle.GetX509BundleForTrustDomain(Td);
        var jwt = bundle.GetJwtBundleForTrustDomain(Td);

        // Assert
        Assert.That(x509.X509Authorities, Has.Count.EqualTo(2));
        Assert.That(jwt.JwtAuthorities.Keys, Is.EqualTo(new[] { "jwt-1" }));
    }

    [Test]
    public void GetBundleForTrustDomain_OtherTrustDomain_ThrowsNotFound()
    {
        // Arrange
        var bundle = this.CreateBundle();
        var other = TrustDomain.Parse("other.org");

        // Assert
        Assert.Throws<BundleNotFoundException>(() => bundle.GetX509BundleForTrustDomain(other));
        Assert.Throws<BundleNotFoundException>(() => bundle.GetJwtBundleForTrustDomain(other));
    }

    [Test]
    public void Constructor_X509AuthorityWithEd25519Key_ThrowsArgument()
    {
        // Arrange
        var ca = TestCa.CreateRoot(Td, Now, new TestCertificateOptions { CertificatePublicKey = TestKeys.CreateEd25519PublicKey() });

        // Assert
        Assert.Throws<ArgumentException>(() => _ = new SpiffeBundle(Td, [ca.Certificate], []));
    }

    [TestCase(-1)]
    [TestCase(0.5)]
    public void RefreshHint_NegativeOrFractional_Throws(double seconds)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new SpiffeBundle(Td, [], []) { RefreshHint = TimeSpan.FromSeconds(seconds) });
    }

    private SpiffeBundle CreateBundle() =>
        new(Td, [this.ecRoot.Certificate, this.rsaRoot.Certificate], [new("jwt-1", this.jwtKey)])
        {
            SequenceNumber = 42,
            RefreshHint = TimeSpan.FromMinutes(5),
        };

    private byte[] MalformedDocument(string defect)
    {
        var x509 = X509Key(this.ecRoot.Certificate);
        var jwt = this.JwtKey("k1");
        var base64 = Convert.ToBase64String(this.ecRoot.Certificate.RawData);
        return defect switch
        {
            "missing keys" => """{"spiffe_sequence":1}"""u8.ToArray(),
            "x5c count 2" => Document(x509 with { X5c = [base64, Convert.ToBase64String(this.rsaRoot.Certificate.RawData)] }),
            "x5c count 0" => Document(x509 with { X5c = [] }),
            "x5c missing" => Document(x509 with { X5c = null }),
            "x5c base64url" => Document(x509 with { X5c = [UrlAlphabet(base64)] }),
            "x5c unpadded" => Document(x509 with { X5c = [Unpadded(this.ecRoot.Certificate.RawData)] }),
            "x5c two certificates in one entry" => Document(x509 with { X5c = [Convert.ToBase64String([.. this.ecRoot.Certificate.RawData, .. this.rsaRoot.Certificate.RawData])] }),
            "kid on x509-svid" => Document(x509 with { Kid = "x" }),
            "x509 key mismatch" => Document(x509 with { Members = this.JwtKey("unused").Members }),
            "x509 private member" => Document(x509 with { Members = [.. x509.Members, new("d", "AAAA")] }),
            "jwt no kid" => Document(jwt with { Kid = null }),
            "jwt duplicate kid" => Document(jwt, this.JwtKey("k1")),
            "jwt private member" => Document(jwt with { Members = [.. jwt.Members, new("d", "AAAA")] }),
            "jwt rsa private member" => Document(X509Key(this.rsaRoot.Certificate) with { Use = "jwt-svid", Kid = "r", X5c = null, Members = [.. X509Key(this.rsaRoot.Certificate).Members, new("p", "AAAA")] }),
            "sequence negative" => Encoding.UTF8.GetBytes("""{"spiffe_sequence":-1,"keys":[]}"""),
            "sequence string" => Encoding.UTF8.GetBytes("""{"spiffe_sequence":"1","keys":[]}"""),
            "refresh fractional" => Encoding.UTF8.GetBytes("""{"spiffe_refresh_hint":1.5,"keys":[]}"""),
            "refresh negative" => Encoding.UTF8.GetBytes("""{"spiffe_refresh_hint":-5,"keys":[]}"""),
            "duplicate member" => Encoding.UTF8.GetBytes("""{"keys":[],"keys":[]}"""),
            _ => throw new ArgumentOutOfRangeException(nameof(defect)),
        };
    }

    private static string UrlAlphabet(string base64) => base64.Replace('+', '-').Replace('/', '_');

    private static string Unpadded(byte[] der) => Convert.ToBase64String(der).TrimEnd('=');

    private static byte[] Document(params Jwk[] keys) =>
        Encoding.UTF8.GetBytes($$"""{"keys":[{{string.Join(',', keys.Select(k => k.ToJson()))}}]}""");

    private static Jwk X509Key(X509Certificate2 certificate) =>
        new(certificate.PublicKey.Oid.Value == "1.2.840.10045.2.1" ? "EC" : "RSA", "x509-svid", null, KeyMembers(certificate.PublicKey))
        {
            X5c = [Convert.ToBase64String(certificate.RawData)],
        };

    private Jwk JwtKey(string kid) => new("EC", "jwt-svid", kid, KeyMembers(this.jwtKey));

    private static KeyValuePair<string, string>[] KeyMembers(PublicKey key)
    {
        if (key.GetECDsaPublicKey() is { } ecdsa)
        {
            var p = ecdsa.ExportParameters(false);
            var crv = p.Q.X!.Length switch { 32 => "P-256", 48 => "P-384", _ => "P-521" };
            return [new("crv", crv), new("x", TestJwtSigner.Base64UrlEncode(p.Q.X)), new("y", TestJwtSigner.Base64UrlEncode(p.Q.Y))];
        }

        var r = key.GetRSAPublicKey()!.ExportParameters(false);
        return [new("n", TestJwtSigner.Base64UrlEncode(r.Modulus)), new("e", TestJwtSigner.Base64UrlEncode(r.Exponent))];
    }

    private sealed record Jwk(string Kty, string? Use, string? Kid, KeyValuePair<string, string>[] Members)
    {
        public string[]? X5c { get; init; }

        public string ToJson()
        {
            var node = new JsonObject { ["kty"] = this.Kty };
            if (this.Use is not null)
            {
                node["use"] = this.Use;
            }

            if (this.Kid is not null)
            {
                node["kid"] = this.Kid;
            }

            foreach (var (name, value) in this.Members)
            {
                node[name] = value;
            }

            if (this.X5c is not null)
            {
                node["x5c"] = new JsonArray([.. this.X5c.Select(x => (JsonNode)x)]);
            }

            return node.ToJsonString(new JsonSerializerOptions());
        }
    }
}
