using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Spiffe.Testing;

namespace Spiffe.Core.Tests.Jwt;

[TestFixture]
public sealed class JwtSvidTests
{
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TrustDomain Td = TrustDomain.Parse("example.org");
    private static readonly SpiffeId Subject = SpiffeId.Parse("spiffe://example.org/web");
    private static readonly string[] Audience = ["api"];

    private TestJwtSigner signer = null!;
    private JwtBundle bundle = null!;

    private static readonly long Exp = Now.AddMinutes(5).ToUnixTimeSeconds();

    [OneTimeSetUp]
    public void CreateSigner()
    {
        this.signer = new TestJwtSigner(Td, "k1");
        this.bundle = this.signer.CreateJwtBundle();
    }

    [TestCase(TestKeyType.EcP256, null, "ES256")]
    [TestCase(TestKeyType.EcP384, null, "ES384")]
    [TestCase(TestKeyType.EcP521, null, "ES512")]
    [TestCase(TestKeyType.Rsa2048, null, "RS256")]
    [TestCase(TestKeyType.Rsa2048, "RS384", "RS384")]
    [TestCase(TestKeyType.Rsa2048, "RS512", "RS512")]
    [TestCase(TestKeyType.Rsa2048, "PS256", "PS256")]
    [TestCase(TestKeyType.Rsa2048, "PS384", "PS384")]
    [TestCase(TestKeyType.Rsa2048, "PS512", "PS512")]
    public void ParseAndValidate_ValidToken_ExposesClaims(TestKeyType keyType, string? algorithm, string expectedAlgorithm)
    {
        // Arrange
        var rsaSigner = new TestJwtSigner(Td, "kid-" + expectedAlgorithm, keyType, algorithm);
        var token = rsaSigner.CreateToken(Subject, ["api", "other"], Now.AddMinutes(5), Now);

        // Act
        var svid = JwtSvid.ParseAndValidate(token, rsaSigner.CreateJwtBundle(), Audience, Now);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(rsaSigner.Algorithm, Is.EqualTo(expectedAlgorithm));
            Assert.That(svid.Id, Is.EqualTo(Subject));
            Assert.That(svid.Audience, Is.EqualTo(new[] { "api", "other" }));
            Assert.That(svid.Expiry, Is.EqualTo(Now.AddMinutes(5)));
            Assert.That(svid.IssuedAt, Is.EqualTo(Now));
            Assert.That(svid.Token, Is.EqualTo(token));
            Assert.That(svid.Claims["sub"].GetString(), Is.EqualTo(Subject.ToString()));
            Assert.That(svid.Hint, Is.Empty);
        });
    }

    [Test]
    public void ParseAndValidate_AudienceAsStringAndCustomClaims_Accepted()
    {
        // Arrange
        var token = this.Sign(Header(), $$$"""{"sub":"{{{Subject}}}","aud":"api","exp":{{{Exp}}},"jti":"x1","tenant":{"id":7}}""");

        // Act
        var svid = JwtSvid.ParseAndValidate(token, this.bundle, Audience, Now);

        // Assert
        Assert.That(svid.Audience, Is.EqualTo(new[] { "api" }));
        Assert.That(svid.Claims["tenant"].GetProperty("id").GetInt32(), Is.EqualTo(7));
        Assert.That(svid.IssuedAt, Is.Null);
    }

    [TestCase("""{"alg":"ES256","kid":"k1"}""")]
    [TestCase("""{"alg":"ES256","kid":"k1","typ":"JOSE"}""")]
    public void ParseAndValidate_TypAbsentOrJose_Accepted(string header)
    {
        // Arrange
        var token = this.Sign(header, Payload());

        // Act
        var svid = JwtSvid.ParseAndValidate(token, this.bundle, Audience, Now);

        // Assert
        Assert.That(svid.Id, Is.EqualTo(Subject));
    }

    [TestCase("none")]
    [TestCase("HS256")]
    [TestCase("EdDSA")]
    [TestCase("ES256K")]
    [TestCase("es256")]
    public void ParseAndValidate_AlgorithmNotAllowed_Throws(string algorithm)
    {
        // Arrange
        var token = this.Sign(Header(algorithm), Payload());

        // Act
        var ex = Assert.Throws<JwtSvidException>(() => JwtSvid.ParseAndValidate(token, this.bundle, Audience, Now));

        // Assert
        Assert.That(ex.Message, Does.Contain($"algorithm \"{algorithm}\" is not allowed"));
    }

    [Test]
    public void ParseAndValidate_AlgNoneWithEmptySignature_Throws()
    {
        // Arrange
        var token = TestJwtSigner.EncodeSegment("""{"alg":"none","kid":"k1"}""") + "." + TestJwtSigner.EncodeSegment(Payload()) + ".";

        // Act
        var ex = Assert.Throws<JwtSvidException>(() => JwtSvid.ParseAndValidate(token, this.bundle, Audience, Now));

        // Assert
        Assert.That(ex.Message, Does.Contain("\"none\" is not allowed"));
    }

    [Test]
    public void ParseAndValidate_Hs256KeyedWithPublicKeyBytes_Throws()
    {
        // Arrange
        var rsa = new TestJwtSigner(Td, "k1", TestKeyType.Rsa2048);
        var signingInput = TestJwtSigner.EncodeSegment(Header("HS256")) + "." + TestJwtSigner.EncodeSegment(Payload());
        var mac = HMACSHA256.HashData(rsa.PublicKey.ExportSubjectPublicKeyInfo(), Encoding.ASCII.GetBytes(signingInput));
        var token = signingInput + "." + TestJwtSigner.Base64UrlEncode(mac);

        // Act
        var ex = Assert.Throws<JwtSvidException>(() => JwtSvid.ParseAndValidate(token, rsa.CreateJwtBundle(), Audience, Now));

        // Assert
        Assert.That(ex.Message, Does.Contain("\"HS256\" is not allowed"));
    }

    [TestCase("JWS")]
    [TestCase("at+jwt")]
    [TestCase("jwt")]
    public void ParseAndValidate_TypNotJwtOrJose_Throws(string typ)
    {
        // Arrange
        var token = this.Sign($$"""{"alg":"ES256","kid":"k1","typ":"{{typ}}"}""", Payload());

        // Act
        var ex = Assert.Throws<JwtSvidException>(() => JwtSvid.ParseAndValidate(token, this.bundle, Audience, Now));

        // Assert
        Assert.That(ex.Message, Does.Contain("\"typ\" must be \"JWT\" or \"JOSE\""));
    }

    [TestCase("jku", "\"https://evil.example/jwks\"")]
    [TestCase("x5u", "\"https://evil.example/cert\"")]
    [TestCase("x5c", "[\"MIIB\"]")]
    [TestCase("crit", "[\"exp\"]")]
    [TestCase("cty", "\"JWT\"")]
    [TestCase("b64", "false")]
    public void ParseAndValidate_ExtraHeaderMember_Throws(string member, string value)
    {
        // Arrange
        var token = this.Sign($$"""{"alg":"ES256","kid":"k1","typ":"JWT","{{member}}":{{value}}}""", Payload());

        // Act
        var ex = Assert.Throws<JwtSvidException>(() => JwtSvid.ParseAndValidate(token, this.bundle, Audience, Now));

        // Assert
        Assert.That(ex.Message, Does.Contain($"header member \"{member}\" is not allowed"));
    }

    [Test]
    public void ParseAndValidate_KeyEmbeddedInJwkHeader_Throws()
    {
        // Arrange
        var attacker = new TestJwtSigner(Td, "k1");
        var p = ((ECDsa)attacker.Key).ExportParameters(false);
        var jwk = $$"""{"kty":"EC","crv":"P-256","x":"{{TestJwtSigner.Base64UrlEncode(p.Q.X)}}","y":"{{TestJwtSigner.Base64UrlEncode(p.Q.Y)}}"}""";
        var token = attacker.CreateToken($$"""{"alg":"ES256","kid":"k1","jwk":{{jwk}}}""", Payload(), "ES256");

        // Act
        var ex = Assert.Throws<JwtSvidException>(() => JwtSvid.ParseAndValidate(token, this.bundle, Audience, Now));

        // Assert
        Assert.That(ex.Message, Does.Contain("header member \"jwk\" is not allowed"));
    }

    [Test]
    public void ParseAndValidate_DuplicateHeaderMember_Throws()
    {
        // Arrange
        var token = this.Sign("""{"alg":"ES256","alg":"none","kid":"k1"}""", Payload());

        // Act
        var ex = Assert.Throws<JwtSvidException>(() => JwtSvid.ParseAndValidate(token, this.bundle, Audience, Now));

        // Assert
        Assert.That(ex.Message, Does.Contain("header is not valid JSON"));
    }

    [Test]
    public void ParseAndValidate_MissingKid_Throws()
    {
        // Arrange
        var token = this.Sign("""{"alg":"ES256","typ":"JWT"}""", Payload());

        // Act
        var ex = Assert.Throws<JwtSvidException>(() => JwtSvid.ParseAndValidate(token, this.bundle, Audience, Now));

        // Assert
        Assert.That(ex.Message, Does.Contain("\"kid\" is missing or empty"));
    }

    [Test]
    public void ParseAndValidate_UnknownKid_Throws()
    {
        // Arrange
        var token = this.Sign(Header("ES256", "k2"), Payload());

        // Act
        var ex = Assert.Throws<JwtSvidException>(() => JwtSvid.ParseAndValidate(token, this.bundle, Audience, Now));

        // Assert
        Assert.That(ex.Message, Does.Contain("no JWT authority with key ID \"k2\""));
    }

    [Test]
    public void ParseAndValidate_SignedByOtherKeyUnderSameKid_Throws()
    {
        // Arrange
        var attacker = new TestJwtSigner(Td, "k1");
        var token = attacker.CreateToken(Subject, Audience, Now.AddMinutes(5));

        // Act
        var ex = Assert.Throws<JwtSvidException>(() => JwtSvid.ParseAndValidate(token, this.bundle, Audience, Now));

        // Assert
        Assert.That(ex.Message, Does.Contain("signature verification failed"));
    }

    [Test]
    public void ParseAndValidate_PayloadTampered_Throws()
    {
        // Arrange
        var parts = this.signer.CreateToken(Subject, Audience, Now.AddMinutes(5)).Split('.');
        var forged = TestJwtSigner.EncodeSegment($$"""{"sub":"spiffe://example.org/admin","aud":["api"],"exp":{{Exp}}}""");
        var token = parts[0] + "." + forged + "." + parts[2];

        // Act
        var ex = Assert.Throws<JwtSvidException>(() => JwtSvid.ParseAndValidate(token, this.bundle, Audience, Now));

        // Assert
        Assert.That(ex.Message, Does.Contain("signature verification failed"));
    }

    [Test]
    public void ParseAndValidate_SubInTrustDomainWithoutBundle_Throws()
    {
        // Arrange
        var token = this.Sign(Header(), $$"""{"sub":"spiffe://other.org/web","aud":["api"],"exp":{{Exp}}}""");

        // Act
        var ex = Assert.Throws<JwtSvidException>(() => JwtSvid.ParseAndValidate(token, this.bundle, Audience, Now));

        // Assert
        Assert.That(ex.Message, Does.Contain("no JWT bundle for trust domain \"other.org\""));
    }

    [Test]
    public void ParseAndValidate_BundleChosenBySubTrustDomain_UsesThatBundle()
    {
        // Arrange
        var otherTd = TrustDomain.Parse("other.org");
        var otherSigner = new TestJwtSigner(otherTd, "k1");
        var set = new JwtBundleSet([this.bundle, otherSigner.CreateJwtBundle()]);
        var token = otherSigner.CreateToken(SpiffeId.Parse("spiffe://other.org/web"), Audience, Now.AddMinutes(5));
        var crossSigned = this.signer.CreateToken(SpiffeId.Parse("spiffe://other.org/web"), Audience, Now.AddMinutes(5));

        // Act
        var svid = JwtSvid.ParseAndValidate(token, set, Audience, Now);
        var ex = Assert.Throws<JwtSvidException>(() => JwtSvid.ParseAndValidate(crossSigned, set, Audience, Now));

        // Assert
        Assert.That(svid.Id.TrustDomain, Is.EqualTo(otherTd));
        Assert.That(ex.Message, Does.Contain("signature verification failed"));
    }

    [Test]
    public void ParseAndValidate_Es256DerSignature_Throws()
    {
        // Arrange
        var signingInput = TestJwtSigner.EncodeSegment(Header()) + "." + TestJwtSigner.EncodeSegment(Payload());
        var der = ((ECDsa)this.signer.Key).SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        var token = signingInput + "." + TestJwtSigner.Base64UrlEncode(der);

        // Act
        var ex = Assert.Throws<JwtSvidException>(() => JwtSvid.ParseAndValidate(token, this.bundle, Audience, Now));

        // Assert
        Assert.That(ex.Message, Does.Contain("signature must be 64 bytes"));
    }

    [Test]
    public void ParseAndValidate_Es384HeaderWithP256Key_Throws()
    {
        // Arrange
        var token = this.Sign(Header("ES384"), Payload());

        // Act
        var ex = Assert.Throws<JwtSvidException>(() => JwtSvid.ParseAndValidate(token, this.bundle, Audience, Now));

        // Assert
        Assert.That(ex.Message, Does.Contain("ES384 needs a P-384 key"));
    }

    [Test]
    public void ParseAndValidate_Rs256HeaderWithEcKey_Throws()
    {
        // Arrange
        var token = this.Sign(Header("RS256"), Payload());

        // Act
        var ex = Assert.Throws<JwtSvidException>(() => JwtSvid.ParseAndValidate(token, this.bundle, Audience, Now));

        // Assert
        Assert.That(ex.Message, Does.Contain("RS256 does not fit"));
    }

    [Test]
    public void ParseAndValidate_Es256HeaderWithRsaKey_Throws()
    {
        // Arrange
        var rsa = new TestJwtSigner(Td, "k1", TestKeyType.Rsa2048);
        var token = rsa.CreateToken(Header("ES256"), Payload(), "RS256");

        // Act
        var ex = Assert.Throws<JwtSvidException>(() => JwtSvid.ParseAndValidate(token, rsa.CreateJwtBundle(), Audience, Now));

        // Assert
        Assert.That(ex.Message, Does.Contain("ES256 does not fit"));
    }

    [Test]
    public void ParseAndValidate_Ps256TokenSignedAsRs256_Throws()
    {
        // Arrange
        var rsa = new TestJwtSigner(Td, "k1", TestKeyType.Rsa2048);
        var token = rsa.CreateToken(Header("PS256"), Payload(), "RS256");

        // Act
        var ex = Assert.Throws<JwtSvidException>(() => JwtSvid.ParseAndValidate(token, rsa.CreateJwtBundle(), Audience, Now));

        // Assert
        Assert.That(ex.Message, Does.Contain("signature verification failed"));
    }

    [TestCase(-59, true)]
    [TestCase(-60, true)]
    [TestCase(-61, false)]
    public void ParseAndValidate_ExpiryAroundLeeway_AcceptedWithinOneMinute(int secondsFromNow, bool accepted)
    {
        // Arrange
        var token = this.signer.CreateToken(Subject, Audience, Now.AddSeconds(secondsFromNow));

        // Act
        TestDelegate act = () => JwtSvid.ParseAndValidate(token, this.bundle, Audience, Now);

        // Assert
        if (accepted)
        {
            Assert.That(act, Throws.Nothing);
        }
        else
        {
            Assert.That(act, Throws.TypeOf<JwtSvidException>().With.Message.Contains("expired"));
        }
    }

    [TestCase("nbf", 59, true)]
    [TestCase("nbf", 61, false)]
    [TestCase("iat", 59, true)]
    [TestCase("iat", 61, false)]
    public void ParseAndValidate_FutureNbfOrIat_AcceptedWithinOneMinute(string claim, int secondsFromNow, bool accepted)
    {
        // Arrange
        var time = Now.AddSeconds(secondsFromNow).ToUnixTimeSeconds();
        var token = this.Sign(Header(), $$"""{"sub":"{{Subject}}","aud":["api"],"exp":{{Exp}},"{{claim}}":{{time}}}""");

        // Act
        TestDelegate act = () => JwtSvid.ParseAndValidate(token, this.bundle, Audience, Now);

        // Assert
        if (accepted)
        {
            Assert.That(act, Throws.Nothing);
        }
        else
        {
            Assert.That(act, Throws.TypeOf<JwtSvidException>().With.Message.Contains(claim == "nbf" ? "not valid yet" : "issued in the future"));
        }
    }

    public static IEnumerable<TestCaseData> BadClaims()
    {
        var exp = new DateTimeOffset(2026, 6, 1, 12, 5, 0, TimeSpan.Zero).ToUnixTimeSeconds();
        yield return new TestCaseData($$"""{"aud":["api"],"exp":{{exp}}}""", "no \"sub\" claim").SetName("J-7 sub missing");
        yield return new TestCaseData($$"""{"sub":"","aud":["api"],"exp":{{exp}}}""", "no \"sub\" claim").SetName("J-7 sub empty");
        yield return new TestCaseData($$"""{"sub":42,"aud":["api"],"exp":{{exp}}}""", "no \"sub\" claim").SetName("J-7 sub not a string");
        yield return new TestCaseData($$"""{"sub":"spiffe://example.org/a/../b","aud":["api"],"exp":{{exp}}}""", "not a valid SPIFFE ID").SetName("J-7 sub invalid ID");
        yield return new TestCaseData($$"""{"sub":"spiffe://example.org","aud":["api"],"exp":{{exp}}}""", "must have a non-root path").SetName("ID-16 sub root path");
        yield return new TestCaseData($$"""{"sub":"spiffe://example.org/web","exp":{{exp}}}""", "no \"aud\" claim").SetName("J-8 aud missing");
        yield return new TestCaseData($$"""{"sub":"spiffe://example.org/web","aud":[],"exp":{{exp}}}""", "\"aud\" claim is empty").SetName("J-8 aud empty array");
        yield return new TestCaseData($$"""{"sub":"spiffe://example.org/web","aud":"","exp":{{exp}}}""", "\"aud\" claim is empty").SetName("J-8 aud empty string");
        yield return new TestCaseData($$"""{"sub":"spiffe://example.org/web","aud":[1],"exp":{{exp}}}""", "entries must be strings").SetName("J-8 aud number entry");
        yield return new TestCaseData($$"""{"sub":"spiffe://example.org/web","aud":{"a":1},"exp":{{exp}}}""", "string or an array").SetName("J-8 aud object");
        yield return new TestCaseData("""{"sub":"spiffe://example.org/web","aud":["api"]}""", "no \"exp\" claim").SetName("J-9 exp missing");
        yield return new TestCaseData($$"""{"sub":"spiffe://example.org/web","aud":["api"],"exp":{{exp}}.5}""", "integer NumericDate").SetName("J-9 exp fractional");
        yield return new TestCaseData($$"""{"sub":"spiffe://example.org/web","aud":["api"],"exp":"{{exp}}"}""", "integer NumericDate").SetName("J-9 exp string");
        yield return new TestCaseData("""{"sub":"spiffe://example.org/web","aud":["api"],"exp":99999999999999999}""", "out of range").SetName("J-9 exp out of range");
        yield return new TestCaseData($$"""{"sub":"spiffe://example.org/web","aud":["api"],"exp":{{exp}},"iat":1.5}""", "\"iat\" must be an integer").SetName("J-10 iat fractional");
        yield return new TestCaseData("""["sub"]""", "payload must be a JSON object").SetName("J-1 payload not an object");
    }

    [TestCaseSource(nameof(BadClaims))]
    public void ParseAndValidate_BadClaims_ThrowsNamingTheRule(string payload, string rule)
    {
        // Arrange
        var token = this.Sign(Header(), payload);

        // Act
        var ex = Assert.Throws<JwtSvidException>(() => JwtSvid.ParseAndValidate(token, this.bundle, Audience, Now));

        // Assert
        Assert.That(ex.Message, Does.Contain(rule));
    }

    [Test]
    public void ParseAndValidate_AudienceNotIncluded_Throws()
    {
        // Arrange
        var token = this.signer.CreateToken(Subject, ["other"], Now.AddMinutes(5));

        // Act
        var ex = Assert.Throws<JwtSvidException>(() => JwtSvid.ParseAndValidate(token, this.bundle, Audience, Now));

        // Assert
        Assert.That(ex.Message, Does.Contain("expected audience \"api\" is not in the token"));
    }

    [Test]
    public void ParseAndValidate_OneOfTwoExpectedAudiences_Throws()
    {
        // Arrange
        var token = this.signer.CreateToken(Subject, ["api"], Now.AddMinutes(5));

        // Act
        var ex = Assert.Throws<JwtSvidException>(() => JwtSvid.ParseAndValidate(token, this.bundle, ["api", "db"], Now));

        // Assert
        Assert.That(ex.Message, Does.Contain("expected audience \"db\""));
    }

    [Test]
    public void ParseAndValidate_NoExpectedAudience_ThrowsArgument()
    {
        var token = this.signer.CreateToken(Subject, Audience, Now.AddMinutes(5));
        Assert.Throws<ArgumentException>(() => JwtSvid.ParseAndValidate(token, this.bundle, [], Now));
    }

    [Test]
    public void ParseAndValidate_JsonSerialization_Throws()
    {
        // Arrange
        var compact = this.signer.CreateToken(Subject, Audience, Now.AddMinutes(5)).Split('.');
        var json = JsonSerializer.Serialize(new { payload = compact[1], @protected = compact[0], signature = compact[2] });

        // Act
        var ex = Assert.Throws<JwtSvidException>(() => JwtSvid.ParseAndValidate(json, this.bundle, Audience, Now));

        // Assert
        Assert.That(ex.Message, Does.Contain("compact serialization"));
    }

    [TestCase(0)]
    [TestCase(1)]
    [TestCase(2)]
    public void ParseAndValidate_PaddedSegment_Throws(int segment)
    {
        // Arrange
        var header = TestJwtSigner.EncodeSegment(NeedsPadding(Header()));
        var payload = TestJwtSigner.EncodeSegment(NeedsPadding(Payload()));
        var signingInput = header + "." + payload;
        var signature = TestJwtSigner.Base64UrlEncode(this.signer.Sign(Encoding.ASCII.GetBytes(signingInput), "ES256"));
        string[] parts = [header, payload, signature];
        parts[segment] += new string('=', 4 - (parts[segment].Length % 4));

        // Act
        var ex = Assert.Throws<JwtSvidException>(() => JwtSvid.ParseAndValidate(string.Join('.', parts), this.bundle, Audience, Now));

        // Assert
        Assert.That(ex.Message, Does.Contain("without padding"));
    }

    [Test]
    public void ParseAndValidate_StandardBase64PaddedSignature_Throws()
    {
        // Arrange
        var token = this.signer.CreateToken(Subject, Audience, Now.AddMinutes(5));
        var parts = token.Split('.');
        var signature = Convert.ToBase64String(Convert.FromBase64String(ToStandard(parts[2])));

        // Act
        var ex = Assert.Throws<JwtSvidException>(() => JwtSvid.ParseAndValidate(parts[0] + "." + parts[1] + "." + signature, this.bundle, Audience, Now));

        // Assert
        Assert.That(ex.Message, Does.Contain("base64url"));
    }

    [TestCase("a.b")]
    [TestCase("a.b.c.d")]
    [TestCase("")]
    public void ParseAndValidate_WrongSegmentCount_Throws(string token)
    {
        var ex = Assert.Throws<JwtSvidException>(() => JwtSvid.ParseAndValidate(token, this.bundle, Audience, Now));
        Assert.That(ex.Message, Does.Contain("3 dot-separated segments"));
    }

    [Test]
    public void ParseInsecure_BadSignature_ParsesClaimsWithHint()
    {
        // Arrange
        var attacker = new TestJwtSigner(Td, "unknown");
        var token = attacker.CreateToken(Subject, Audience, Now.AddMinutes(5));

        // Act
        var svid = JwtSvid.ParseInsecure(token, Audience, Now, "db");

        // Assert
        Assert.That(svid.Id, Is.EqualTo(Subject));
        Assert.That(svid.Hint, Is.EqualTo("db"));
    }

    [Test]
    public void ParseInsecure_NoKid_Accepted()
    {
        // Arrange
        var token = this.Sign("""{"alg":"ES256"}""", Payload());

        // Act
        var svid = JwtSvid.ParseInsecure(token, Audience, Now);

        // Assert
        Assert.That(svid.Id, Is.EqualTo(Subject));
    }

    [Test]
    public void ParseInsecure_NoExpectedAudience_SkipsAudienceMatch()
    {
        // Arrange
        var token = this.signer.CreateToken(Subject, ["other"], Now.AddMinutes(5));

        // Act
        var svid = JwtSvid.ParseInsecure(token, [], Now);

        // Assert
        Assert.That(svid.Audience, Is.EqualTo(new[] { "other" }));
    }

    [Test]
    public void ParseInsecure_Expired_Throws()
    {
        var token = this.signer.CreateToken(Subject, Audience, Now.AddMinutes(-2));
        var ex = Assert.Throws<JwtSvidException>(() => JwtSvid.ParseInsecure(token, Audience, Now));
        Assert.That(ex.Message, Does.Contain("expired"));
    }

    [Test]
    public void ParseInsecure_AlgorithmNotAllowed_Throws()
    {
        var token = this.Sign(Header("HS512"), Payload());
        var ex = Assert.Throws<JwtSvidException>(() => JwtSvid.ParseInsecure(token, Audience, Now));
        Assert.That(ex.Message, Does.Contain("not allowed"));
    }

    [Test]
    public void ParseInsecure_AudienceNotIncluded_Throws()
    {
        var token = this.signer.CreateToken(Subject, ["other"], Now.AddMinutes(5));
        var ex = Assert.Throws<JwtSvidException>(() => JwtSvid.ParseInsecure(token, Audience, Now));
        Assert.That(ex.Message, Does.Contain("expected audience"));
    }

    private static string Header(string alg = "ES256", string kid = "k1") => $$"""{"alg":"{{alg}}","kid":"{{kid}}","typ":"JWT"}""";

    /// <summary>JSON whitespace that makes the UTF-8 length not a multiple of 3, so its base64 needs padding.</summary>
    private static string NeedsPadding(string json) => json.Length % 3 == 0 ? json + " " : json;

    private static string ToStandard(string base64Url)
    {
        var s = base64Url.Replace('-', '+').Replace('_', '/');
        return s.PadRight(s.Length + ((4 - (s.Length % 4)) % 4), '=');
    }

    private static string Payload() => $$"""{"sub":"{{Subject}}","aud":["api"],"exp":{{Exp}}}""";

    private string Sign(string header, string payload) => this.signer.CreateToken(header, payload, "ES256");
}
