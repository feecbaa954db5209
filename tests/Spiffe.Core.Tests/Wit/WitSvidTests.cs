using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Spiffe.Testing;

namespace Spiffe.Core.Tests.Wit;

[TestFixture]
public sealed class WitSvidTests
{
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TrustDomain Td = TrustDomain.Parse("example.org");
    private static readonly SpiffeId Subject = SpiffeId.Parse("spiffe://example.org/agent/task-1");

    private TestWitIssuer issuer = null!;
    private WitBundle bundle = null!;
    private ECDsa workloadKey = null!;

    [OneTimeSetUp]
    public void CreateIssuer()
    {
        this.issuer = new TestWitIssuer(Td);
        this.bundle = this.issuer.CreateWitBundle();
        this.workloadKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    }

    [OneTimeTearDown]
    public void DisposeKey() => this.workloadKey.Dispose();

    [TestCase(TestKeyType.EcP256, null, TestKeyType.EcP256, "ES256")]
    [TestCase(TestKeyType.EcP384, null, TestKeyType.EcP384, "ES384")]
    [TestCase(TestKeyType.EcP521, null, TestKeyType.EcP521, "ES512")]
    [TestCase(TestKeyType.Rsa2048, null, TestKeyType.Rsa2048, "RS256")]
    [TestCase(TestKeyType.Rsa2048, "PS256", TestKeyType.Rsa2048, "PS256")]
    [TestCase(TestKeyType.EcP256, null, TestKeyType.Rsa2048, "PS512")]
    public void ParseAndValidate_ValidWit_ExposesClaims(TestKeyType issuerKey, string? issuerAlgorithm, TestKeyType workloadKeyType, string proofAlgorithm)
    {
        // Arrange
        var witIssuer = new TestWitIssuer(Td, "k-" + proofAlgorithm, issuerKey, issuerAlgorithm);
        var wit = witIssuer.Issue(Subject, Now, workloadKeyType, proofAlgorithm);

        // Act
        var svid = WitSvid.ParseAndValidate(wit.Token, witIssuer.CreateWitBundle(), Now);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(svid.Id, Is.EqualTo(Subject));
            Assert.That(svid.KeyId, Is.EqualTo("k-" + proofAlgorithm));
            Assert.That(svid.Expiry, Is.EqualTo(Now.AddHours(1)));
            Assert.That(svid.IssuedAt, Is.EqualTo(Now));
            Assert.That(svid.NotBefore, Is.EqualTo(Now));
            Assert.That(svid.Jti, Is.EqualTo(wit.Jti));
            Assert.That(svid.ConfirmationKey.Algorithm, Is.EqualTo(proofAlgorithm));
            Assert.That(svid.ConfirmationKey.Matches(wit.Key), Is.True);
            Assert.That(svid.Claims["sub"].GetString(), Is.EqualTo(Subject.ToString()));
            Assert.That(svid.Token, Is.EqualTo(wit.Token));
            Assert.That(svid.Hint, Is.Empty);
        });
    }

    [Test]
    public void ParseAndValidate_SpiffeBundleWithWitKeys_Validates()
    {
        // Arrange
        var wit = this.issuer.Issue(Subject, Now);
        var spiffeBundle = new SpiffeBundle(Td, [], [], [new(this.issuer.Signer.KeyId, this.issuer.Signer.PublicKey)]);

        // Act
        var svid = WitSvid.ParseAndValidate(wit.Token, spiffeBundle, Now);

        // Assert
        Assert.That(svid.Id, Is.EqualTo(Subject));
    }

    [Test]
    public void ParseAndValidate_NoJtiNoIatNoNbfAndExtraClaims_Accepted()
    {
        // Arrange
        var claims = this.Claims();
        claims.Remove("jti");
        claims.Remove("iat");
        claims.Remove("nbf");
        claims["iss"] = "wimse://example.org/issuer";
        claims["example.org/task"] = new JsonObject { ["id"] = 7 };

        // Act
        var svid = WitSvid.ParseAndValidate(this.Sign(claims), this.bundle, Now);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(svid.Jti, Is.Null);
            Assert.That(svid.IssuedAt, Is.Null);
            Assert.That(svid.NotBefore, Is.Null);
            Assert.That(svid.Claims["example.org/task"].GetProperty("id").GetInt32(), Is.EqualTo(7));
        });
    }

    [TestCase("none")]
    [TestCase("HS256")]
    [TestCase("EdDSA")]
    [TestCase("es256")]
    public void ParseAndValidate_AlgorithmNotAllowed_Throws(string algorithm)
    {
        // Arrange: the typ is also wrong, but alg is checked first.
        var token = this.issuer.CreateToken($$"""{"alg":"{{algorithm}}","kid":"wit-1","typ":"JWT"}""", this.Claims().ToJsonString());

        // Act
        var ex = Assert.Throws<WitSvidException>(() => WitSvid.ParseAndValidate(token, this.bundle, Now));

        // Assert
        Assert.That(ex.Message, Does.Contain($"algorithm \"{algorithm}\" is not allowed"));
    }

    [TestCase("""{"alg":"ES256","kid":"wit-1"}""")]
    [TestCase("""{"alg":"ES256","kid":"wit-1","typ":"JWT"}""")]
    [TestCase("""{"alg":"ES256","kid":"wit-1","typ":"application/wit+jwt"}""")]
    [TestCase("""{"alg":"ES256","kid":"wit-1","typ":"WIT+JWT"}""")]
    [TestCase("""{"alg":"ES256","kid":"wit-1","typ":"wpt+jwt"}""")]
    public void ParseAndValidate_TypNotWitJwt_Throws(string header)
    {
        // Arrange
        var token = this.issuer.CreateToken(header, this.Claims().ToJsonString());

        // Act
        var ex = Assert.Throws<WitSvidException>(() => WitSvid.ParseAndValidate(token, this.bundle, Now));

        // Assert
        Assert.That(ex.Message, Does.Contain("\"typ\" must be \"wit+jwt\""));
    }

    [TestCase("jwk")]
    [TestCase("jku")]
    [TestCase("x5c")]
    [TestCase("x5u")]
    public void ParseAndValidate_KeyBearingHeaderMember_Throws(string member)
    {
        // Arrange
        var token = this.issuer.CreateToken($$"""{"alg":"ES256","kid":"wit-1","typ":"wit+jwt","{{member}}":"x"}""", this.Claims().ToJsonString());

        // Act
        var ex = Assert.Throws<WitSvidException>(() => WitSvid.ParseAndValidate(token, this.bundle, Now));

        // Assert
        Assert.That(ex.Message, Does.Contain($"header member \"{member}\" is not allowed"));
    }

    [TestCase("""{"alg":"ES256","typ":"wit+jwt"}""")]
    [TestCase("""{"alg":"ES256","kid":"","typ":"wit+jwt"}""")]
    [TestCase("""{"alg":"ES256","kid":7,"typ":"wit+jwt"}""")]
    public void ParseAndValidate_KidMissingOrEmpty_Throws(string header)
    {
        // Arrange
        var token = this.issuer.CreateToken(header, this.Claims().ToJsonString());

        // Act
        var ex = Assert.Throws<WitSvidException>(() => WitSvid.ParseAndValidate(token, this.bundle, Now));

        // Assert
        Assert.That(ex.Message, Does.Contain("\"kid\" is missing or empty"));
    }

    [Test]
    public void ParseAndValidate_KidUnknown_Throws()
    {
        // Arrange
        var token = this.issuer.CreateToken("""{"alg":"ES256","kid":"other","typ":"wit+jwt"}""", this.Claims().ToJsonString());

        // Act
        var ex = Assert.Throws<WitSvidException>(() => WitSvid.ParseAndValidate(token, this.bundle, Now));

        // Assert
        Assert.That(ex.Message, Does.Contain("no WIT authority with key ID \"other\""));
    }

    [Test]
    public void ParseAndValidate_TrustDomainWithoutBundle_Throws()
    {
        // Arrange
        var wit = this.issuer.Issue(SpiffeId.Parse("spiffe://partner.test/agent"), Now);

        // Act
        var ex = Assert.Throws<WitSvidException>(() => WitSvid.ParseAndValidate(wit.Token, this.bundle, Now));

        // Assert
        Assert.That(ex.Message, Does.Contain("no WIT bundle for trust domain \"partner.test\""));
    }

    [Test]
    public void ParseAndValidate_SignedByAnotherKeyWithSameKid_Throws()
    {
        // Arrange
        var impostor = new TestWitIssuer(Td, this.issuer.Signer.KeyId);
        var wit = impostor.Issue(Subject, Now);

        // Act
        var ex = Assert.Throws<WitSvidException>(() => WitSvid.ParseAndValidate(wit.Token, this.bundle, Now));

        // Assert
        Assert.That(ex.Message, Does.Contain("signature verification failed"));
    }

    [Test]
    public void ParseAndValidate_AlgorithmDoesNotFitBundleKey_Throws()
    {
        // Arrange: the bundle key is EC P-256, the token claims ES384.
        var token = this.issuer.Signer.CreateToken("""{"alg":"ES384","kid":"wit-1","typ":"wit+jwt"}""", this.Claims().ToJsonString(), "ES256");

        // Act
        var ex = Assert.Throws<WitSvidException>(() => WitSvid.ParseAndValidate(token, this.bundle, Now));

        // Assert
        Assert.That(ex.Message, Does.Contain("needs a P-384 key"));
    }

    public static IEnumerable<TestCaseData> BadClaims()
    {
        yield return Case("aud string", c => c["aud"] = "https://tool.example/", "must not have an \"aud\" claim");
        yield return Case("aud array", c => c["aud"] = new JsonArray("x"), "must not have an \"aud\" claim");
        yield return Case("sub missing", c => c.Remove("sub"), "no \"sub\" claim");
        yield return Case("sub not SPIFFE", c => c["sub"] = "wimse://example.org/agent", "not a valid SPIFFE ID");
        yield return Case("sub root", c => c["sub"] = "spiffe://example.org", "must have a non-root path");
        yield return Case("exp missing", c => c.Remove("exp"), "no \"exp\" claim");
        yield return Case("exp fractional", c => c["exp"] = 1.5, "\"exp\" must be an integer NumericDate");
        yield return Case("exp string", c => c["exp"] = "1", "\"exp\" must be an integer NumericDate");
        yield return Case("iat string", c => c["iat"] = "1", "\"iat\" must be an integer NumericDate");
        yield return Case("jti empty", c => c["jti"] = "", "\"jti\" is empty");
        yield return Case("jti number", c => c["jti"] = 5, "\"jti\" must be a string");
        yield return Case("cnf missing", c => c.Remove("cnf"), "no \"cnf\" claim");
        yield return Case("cnf string", c => c["cnf"] = "x", "\"cnf\" must be a JSON object");
        yield return Case("cnf.jwk missing", c => c["cnf"] = new JsonObject { ["jkt"] = "x" }, "\"cnf\" has no \"jwk\"");
        yield return Case("cnf.jwk alg missing", c => Jwk(c).Remove("alg"), "\"cnf.jwk\" has no \"alg\"");
        yield return Case("cnf.jwk alg none", c => Jwk(c)["alg"] = "none", "\"alg\" \"none\" is not allowed");
        yield return Case("cnf.jwk alg HS256", c => Jwk(c)["alg"] = "HS256", "\"alg\" \"HS256\" is not allowed");
        yield return Case("cnf.jwk alg EdDSA", c => Jwk(c)["alg"] = "EdDSA", "\"alg\" \"EdDSA\" is not allowed");
        yield return Case("cnf.jwk alg for another curve", c => Jwk(c)["alg"] = "ES384", "needs a P-384 key");
        yield return Case("cnf.jwk RSA alg on EC key", c => Jwk(c)["alg"] = "RS256", "needs an RSA key");
        yield return Case("cnf.jwk private member", c => Jwk(c)["d"] = "AAAA", "private key member \"d\"");
        yield return Case("cnf.jwk OKP", c => c["cnf"] = new JsonObject { ["jwk"] = new JsonObject { ["kty"] = "OKP", ["crv"] = "Ed25519", ["x"] = "AAAA", ["alg"] = "ES256" } }, "unsupported key type \"OKP\"");
        yield return Case("cnf.jwk short coordinate", c => Jwk(c)["x"] = "AAAA", "\"x\" must be 32 bytes");
    }

    [TestCaseSource(nameof(BadClaims))]
    public void ParseAndValidate_BadClaims_Throws(Action<JsonObject> mutate, string expected)
    {
        // Arrange
        var claims = this.Claims();
        mutate(claims);
        var token = this.Sign(claims);

        // Act
        var ex = Assert.Throws<WitSvidException>(() => WitSvid.ParseAndValidate(token, this.bundle, Now));

        // Assert
        Assert.That(ex.Message, Does.Contain(expected));
    }

    [Test]
    public void ParseAndValidate_RsaConfirmationKeyBelow2048Bits_Throws()
    {
        // Arrange
        using var small = RSA.Create(1024);
        var claims = this.Claims();
        claims["cnf"] = new JsonObject { ["jwk"] = JsonNode.Parse(TestWitIssuer.ConfirmationJwk(small, "RS256")) };

        // Act
        var ex = Assert.Throws<WitSvidException>(() => WitSvid.ParseAndValidate(this.Sign(claims), this.bundle, Now));

        // Assert
        Assert.That(ex.Message, Does.Contain("RSA key has 1024 bits, at least 2048 are required"));
    }

    [Test]
    public void ParseAndValidate_ExpiredBeyondLeeway_Throws()
    {
        // Arrange
        var wit = this.issuer.Issue(Subject, Now.AddHours(-2));

        // Act
        var ex = Assert.Throws<WitSvidException>(() => WitSvid.ParseAndValidate(wit.Token, this.bundle, Now.AddHours(-1).AddSeconds(61)));

        // Assert
        Assert.That(ex.Message, Does.Contain("token has expired"));
    }

    [Test]
    public void ParseAndValidate_ExpiredWithinLeeway_Accepted()
    {
        // Arrange
        var wit = this.issuer.Issue(Subject, Now.AddHours(-2));

        // Act
        var svid = WitSvid.ParseAndValidate(wit.Token, this.bundle, Now.AddHours(-1).AddSeconds(60));

        // Assert
        Assert.That(svid.Id, Is.EqualTo(Subject));
    }

    [Test]
    public void ParseAndValidate_NotBeforeInFuture_Throws()
    {
        // Arrange
        var wit = this.issuer.Issue(Subject, Now.AddMinutes(2));

        // Act
        var ex = Assert.Throws<WitSvidException>(() => WitSvid.ParseAndValidate(wit.Token, this.bundle, Now));

        // Assert
        Assert.That(ex.Message, Does.Contain("not valid yet"));
    }

    [Test]
    public void ParseAndValidate_IssuedAtInFuture_IsOnlyInformational()
    {
        // Arrange
        var claims = this.Claims();
        claims["iat"] = Now.AddHours(1).ToUnixTimeSeconds();

        // Act
        var svid = WitSvid.ParseAndValidate(this.Sign(claims), this.bundle, Now);

        // Assert
        Assert.That(svid.IssuedAt, Is.EqualTo(Now.AddHours(1)));
    }

    [TestCase("a.b")]
    [TestCase("a.b.c.d")]
    [TestCase("""{"payload":"x"}""")]
    public void ParseAndValidate_NotCompactSerialization_Throws(string token)
    {
        // Act
        var ex = Assert.Throws<WitSvidException>(() => WitSvid.ParseAndValidate(token, this.bundle, Now));

        // Assert
        Assert.That(ex.Message, Does.Contain("compact serialization"));
    }

    [Test]
    public void ParseInsecure_ForeignSignature_Accepted()
    {
        // Arrange
        var foreign = new TestWitIssuer(TrustDomain.Parse("partner.test")).Issue(Subject, Now);

        // Act
        var svid = WitSvid.ParseInsecure(foreign.Token, Now, "internal");

        // Assert
        Assert.That(svid.Id, Is.EqualTo(Subject));
        Assert.That(svid.Hint, Is.EqualTo("internal"));
    }

    [Test]
    public void ParseInsecure_WithAudience_Throws()
    {
        // Arrange
        var claims = this.Claims();
        claims["aud"] = "x";

        // Act
        var ex = Assert.Throws<WitSvidException>(() => WitSvid.ParseInsecure(this.Sign(claims), Now));

        // Assert
        Assert.That(ex.Message, Does.Contain("must not have an \"aud\" claim"));
    }

    [Test]
    public void ParseInsecure_Expired_Throws()
    {
        // Arrange
        var wit = this.issuer.Issue(Subject, Now.AddHours(-3));

        // Act
        var ex = Assert.Throws<WitSvidException>(() => WitSvid.ParseInsecure(wit.Token, Now));

        // Assert
        Assert.That(ex.Message, Does.Contain("token has expired"));
    }

    [TestCase(TestKeyType.EcP256, "ES256")]
    [TestCase(TestKeyType.EcP384, "ES384")]
    [TestCase(TestKeyType.EcP521, "ES512")]
    [TestCase(TestKeyType.Rsa2048, "PS256")]
    public void ExportPrivateKey_ThenParsePrivateKey_RoundTrips(TestKeyType keyType, string algorithm)
    {
        // Arrange
        using var key = TestKeys.Create(keyType);
        var confirmation = WitConfirmationKey.Create(TestKeys.PublicKeyOf(key), algorithm);

        // Act
        var jwk = WitSvid.ExportPrivateKey(key, algorithm);
        using var parsed = WitSvid.ParsePrivateKey(jwk);

        // Assert
        var json = JsonNode.Parse(jwk)!;
        Assert.Multiple(() =>
        {
            Assert.That(confirmation.Matches(parsed), Is.True);
            Assert.That(json["alg"]!.GetValue<string>(), Is.EqualTo(algorithm));
            Assert.That(json["d"], Is.Not.Null);
            Assert.That(parsed, key is ECDsa ? Is.InstanceOf<ECDsa>() : Is.InstanceOf<RSA>());
        });
    }

    [Test]
    public void ParsePrivateKey_PrivateMemberOfAnotherKey_Throws()
    {
        // Arrange
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var jwk = JsonNode.Parse(WitSvid.ExportPrivateKey(this.workloadKey, "ES256"))!;
        jwk["d"] = JsonNode.Parse(WitSvid.ExportPrivateKey(other, "ES256"))!["d"]!.GetValue<string>();

        // Act
        var ex = Assert.Throws<WitSvidException>(() => WitSvid.ParsePrivateKey(jwk.ToJsonString()));

        // Assert
        Assert.That(ex.Message, Does.Contain("cannot parse WIT-SVID private key"));
    }

    [TestCase("""{"kty":"EC","crv":"P-256","x":"AAAA"}""", "\"x\" must be 32 bytes")]
    [TestCase("""{"kty":"oct","k":"AAAA"}""", "must not have \"k\"")]
    [TestCase("""{"kty":"OKP","crv":"Ed25519"}""", "unsupported key type \"OKP\"")]
    [TestCase("[]", "must be a JSON object")]
    [TestCase("{", "not valid JSON")]
    public void ParsePrivateKey_Malformed_Throws(string jwk, string expected)
    {
        // Act
        var ex = Assert.Throws<WitSvidException>(() => WitSvid.ParsePrivateKey(jwk));

        // Assert
        Assert.That(ex.Message, Does.Contain(expected));
    }

    [Test]
    public void ParsePrivateKey_AlgorithmDoesNotFit_Throws()
    {
        // Arrange
        var jwk = JsonNode.Parse(WitSvid.ExportPrivateKey(this.workloadKey, "ES256"))!;
        jwk["alg"] = "RS256";

        // Act
        var ex = Assert.Throws<WitSvidException>(() => WitSvid.ParsePrivateKey(jwk.ToJsonString()));

        // Assert
        Assert.That(ex.Message, Does.Contain("\"alg\" does not fit the key"));
    }

    [Test]
    public void ExportPrivateKey_AlgorithmDoesNotFit_Throws()
    {
        // Act + Assert
        Assert.Throws<ArgumentException>(() => WitSvid.ExportPrivateKey(this.workloadKey, "ES384"));
    }

    [Test]
    public void ConfirmationKeyCreate_EcKey_WritesPublicJwkWithAlg()
    {
        // Act
        var confirmation = WitConfirmationKey.Create(TestKeys.PublicKeyOf(this.workloadKey), "ES256");

        // Assert
        var jwk = JsonNode.Parse(confirmation.Jwk)!.AsObject();
        Assert.That(jwk.Select(p => p.Key), Is.EquivalentTo(new[] { "kty", "crv", "x", "y", "alg" }));
        Assert.That(jwk["alg"]!.GetValue<string>(), Is.EqualTo("ES256"));
    }

    private static TestCaseData Case(string name, Action<JsonObject> mutate, string expected) =>
        new TestCaseData(mutate, expected).SetName("ParseAndValidate_BadClaims_Throws(" + name + ")");

    private static JsonObject Jwk(JsonObject claims) => claims["cnf"]!["jwk"]!.AsObject();

    private JsonObject Claims() => new()
    {
        ["sub"] = Subject.ToString(),
        ["exp"] = Now.AddHours(1).ToUnixTimeSeconds(),
        ["iat"] = Now.ToUnixTimeSeconds(),
        ["nbf"] = Now.ToUnixTimeSeconds(),
        ["jti"] = "wit-jti-1",
        ["cnf"] = new JsonObject { ["jwk"] = JsonNode.Parse(TestWitIssuer.ConfirmationJwk(this.workloadKey, "ES256")) },
    };

    private string Sign(JsonObject claims) => this.issuer.CreateToken(this.issuer.Header, claims.ToJsonString());
}
