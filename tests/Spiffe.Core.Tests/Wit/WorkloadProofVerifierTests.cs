using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Spiffe.Testing;

namespace Spiffe.Core.Tests.Wit;

[TestFixture]
public sealed class WorkloadProofVerifierTests
{
    private const string Target = "https://tool.example/items";

    private static readonly DateTimeOffset Now = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TrustDomain Td = TrustDomain.Parse("example.org");
    private static readonly SpiffeId Caller = SpiffeId.Parse("spiffe://example.org/agent/task-1");

    private TestWitIssuer issuer = null!;
    private WitBundle bundle = null!;
    private TestWit wit = null!;

    [OneTimeSetUp]
    public void IssueWit()
    {
        this.issuer = new TestWitIssuer(Td);
        this.bundle = this.issuer.CreateWitBundle();
        this.wit = this.issuer.Issue(Caller, Now);
    }

    [TestCase(TestKeyType.EcP256, "ES256")]
    [TestCase(TestKeyType.EcP384, "ES384")]
    [TestCase(TestKeyType.EcP521, "ES512")]
    [TestCase(TestKeyType.Rsa2048, "RS256")]
    [TestCase(TestKeyType.Rsa2048, "PS256")]
    [TestCase(TestKeyType.Rsa2048, "RS512")]
    public void Verify_ValidProof_ReturnsIdentity(TestKeyType workloadKey, string algorithm)
    {
        // Arrange
        var presented = this.issuer.Issue(Caller, Now, workloadKey, algorithm);
        var proof = Proof(presented, Context());

        // Act
        var result = this.Verifier().Verify(presented.Token, proof.Token, Context(), Now);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(result.Id, Is.EqualTo(Caller));
            Assert.That(result.WitJti, Is.EqualTo(presented.Jti));
            Assert.That(result.ProofJti, Is.EqualTo(proof.Jti));
            Assert.That(result.ProofExpiry, Is.EqualTo(proof.Expiry));
            Assert.That(result.Wit.ConfirmationKey.Algorithm, Is.EqualTo(algorithm));
        });
    }

    [Test]
    public void Verify_RsaPssIssuerAndAllContextTokens_Accepted()
    {
        // Arrange
        var rsaIssuer = new TestWitIssuer(Td, "rsa-issuer", TestKeyType.Rsa2048, "PS256");
        var presented = rsaIssuer.Issue(Caller, Now, TestKeyType.Rsa2048, "PS256");
        var context = Context(access: "access-1", txn: "txn-1", other: new() { ["X-User"] = "user-1" });
        var proof = Proof(presented, context);
        var verifier = new WorkloadProofVerifier(rsaIssuer.CreateWitBundle(), new InMemoryWptReplayCache());

        // Act
        var result = verifier.Verify(presented.Token, proof.Token, Context(access: "access-1", txn: "txn-1", other: new() { ["x-user"] = " user-1 " }), Now);

        // Assert
        Assert.That(result.Id, Is.EqualTo(Caller));
    }

    [TestCase("")]
    [TestCase("not-a-jwt")]
    [TestCase("a.b.c")]
    public void Verify_WitWithoutUsableProof_Refused(string proof)
    {
        // Act
        var ex = Assert.Throws<WorkloadProofException>(() => this.Verifier().Verify(this.wit.Token, proof, Context(), Now));

        // Assert
        Assert.That(ex.Failure, Is.EqualTo(WorkloadProofFailure.MalformedProof));
    }

    [TestCase("https://tool.example/other")]
    [TestCase("https://evil.example/items")]
    [TestCase("https://tool.example/items/")]
    public void Verify_ProofForAnotherAudience_Refused(string audience)
    {
        // Arrange
        var proof = Proof(this.wit, Context(audience));

        // Act
        var ex = Assert.Throws<WorkloadProofException>(() => this.Verifier().Verify(this.wit.Token, proof.Token, Context(), Now));

        // Assert
        Assert.That(ex.Failure, Is.EqualTo(WorkloadProofFailure.Audience));
        Assert.That(ex.Message, Does.Contain("is not the expected audience"));
    }

    [Test]
    public void Verify_AudienceArrayOfOne_Accepted()
    {
        // Arrange
        var claims = this.Claims();
        claims["aud"] = new JsonArray(Target);

        // Act
        var result = this.Verifier().Verify(this.wit.Token, this.Sign(claims), Context(), Now);

        // Assert
        Assert.That(result.Id, Is.EqualTo(Caller));
    }

    [Test]
    public void Verify_AudienceArrayOfTwo_Refused()
    {
        // Arrange
        var claims = this.Claims();
        claims["aud"] = new JsonArray(Target, "https://other.example/");

        // Act
        var ex = Assert.Throws<WorkloadProofException>(() => this.Verifier().Verify(this.wit.Token, this.Sign(claims), Context(), Now));

        // Assert
        Assert.That(ex.Failure, Is.EqualTo(WorkloadProofFailure.Audience));
    }

    [Test]
    public void Verify_ReplayedProof_Refused()
    {
        // Arrange
        var verifier = this.Verifier();
        var proof = Proof(this.wit, Context());
        verifier.Verify(this.wit.Token, proof.Token, Context(), Now);

        // Act
        var ex = Assert.Throws<WorkloadProofException>(() => verifier.Verify(this.wit.Token, proof.Token, Context(), Now.AddSeconds(5)));

        // Assert
        Assert.That(ex.Failure, Is.EqualTo(WorkloadProofFailure.Replay));
        Assert.That(ex.Message, Does.Contain(proof.Jti));
    }

    [Test]
    public void Verify_FailedProof_DoesNotConsumeItsJti()
    {
        // Arrange
        var verifier = this.Verifier();
        var proof = Proof(this.wit, Context(access: "access-1"));
        Assert.Throws<WorkloadProofException>(() => verifier.Verify(this.wit.Token, proof.Token, Context(access: "access-2"), Now));

        // Act
        var result = verifier.Verify(this.wit.Token, proof.Token, Context(access: "access-1"), Now);

        // Assert
        Assert.That(result.ProofJti, Is.EqualTo(proof.Jti));
    }

    [Test]
    public void Verify_SameJtiFromTwoSenders_BothAccepted()
    {
        // Arrange
        var verifier = this.Verifier();
        var other = this.issuer.Issue(SpiffeId.Parse("spiffe://example.org/agent/task-2"), Now);
        var first = this.wit.SignProof(Header(this.wit.Algorithm), Claims(this.wit).ToJsonString());
        var second = other.SignProof(Header(other.Algorithm), Claims(other).ToJsonString());
        verifier.Verify(this.wit.Token, first, Context(), Now);

        // Act
        var result = verifier.Verify(other.Token, second, Context(), Now);

        // Assert
        Assert.That(result.Id.Path, Is.EqualTo("/agent/task-2"));
    }

    [Test]
    public void Verify_ReplayCacheFull_Refused()
    {
        // Arrange
        var verifier = new WorkloadProofVerifier(this.bundle, new InMemoryWptReplayCache(capacity: 1));
        verifier.Verify(this.wit.Token, Proof(this.wit, Context()).Token, Context(), Now);

        // Act
        var ex = Assert.Throws<WorkloadProofException>(() => verifier.Verify(this.wit.Token, Proof(this.wit, Context()).Token, Context(), Now));

        // Assert
        Assert.That(ex.Failure, Is.EqualTo(WorkloadProofFailure.Replay));
        Assert.That(ex.Message, Does.Contain("replay cache is full"));
    }

    [Test]
    public void Verify_ProofWithoutJti_Refused()
    {
        // Arrange
        var claims = this.Claims();
        claims.Remove("jti");

        // Act
        var ex = Assert.Throws<WorkloadProofException>(() => this.Verifier().Verify(this.wit.Token, this.Sign(claims), Context(), Now));

        // Assert
        Assert.That(ex.Failure, Is.EqualTo(WorkloadProofFailure.Replay));
        Assert.That(ex.Message, Does.Contain("no \"jti\""));
    }

    [Test]
    public void Verify_ProofMadeWithAnotherWitsKey_Refused()
    {
        // Arrange: a valid proof of another WIT, presented with this WIT.
        var other = this.issuer.Issue(Caller, Now);
        var proof = Proof(other, Context());

        // Act
        var ex = Assert.Throws<WorkloadProofException>(() => this.Verifier().Verify(this.wit.Token, proof.Token, Context(), Now));

        // Assert
        Assert.That(ex.Failure, Is.EqualTo(WorkloadProofFailure.Signature));
    }

    [TestCase(TestKeyType.EcP256)]
    [TestCase(TestKeyType.Rsa2048)]
    public void Verify_ProofForThisWitSignedByAnyOtherKey_Refused(TestKeyType keyType)
    {
        // Arrange: the claims are right for this WIT, the signing key is not its cnf key.
        using var stranger = TestKeys.Create(keyType);
        var algorithm = keyType == TestKeyType.EcP256 ? "ES256" : "RS256";
        var proof = new TestJwtSigner(Td, "stranger", stranger).CreateToken(Header("ES256"), this.Claims().ToJsonString(), algorithm);

        // Act
        var ex = Assert.Throws<WorkloadProofException>(() => this.Verifier().Verify(this.wit.Token, proof, Context(), Now));

        // Assert
        Assert.That(ex.Failure, Is.EqualTo(WorkloadProofFailure.Signature));
    }

    [Test]
    public void Verify_AlgorithmDiffersFromCnfAlgButSignatureValid_Refused()
    {
        // Arrange: cnf.jwk.alg is RS256; the proof is a valid PS256 signature with the same key.
        var rsaWit = this.issuer.Issue(Caller, Now, TestKeyType.Rsa2048, "RS256");
        var proof = rsaWit.SignProof(Header("PS256"), Claims(rsaWit).ToJsonString(), "PS256");

        // Act
        var ex = Assert.Throws<WorkloadProofException>(() => this.Verifier().Verify(rsaWit.Token, proof, Context(), Now));

        // Assert
        Assert.That(ex.Failure, Is.EqualTo(WorkloadProofFailure.Algorithm));
        Assert.That(ex.Message, Does.Contain("\"PS256\" is not the WIT's cnf.jwk.alg \"RS256\""));
    }

    [TestCase("es256")]
    [TestCase("ES384")]
    [TestCase("none")]
    public void Verify_AlgorithmNotStringEqualToCnfAlg_Refused(string algorithm)
    {
        // Arrange
        var proof = this.wit.SignProof(Header(algorithm), this.Claims().ToJsonString(), "ES256");

        // Act
        var ex = Assert.Throws<WorkloadProofException>(() => this.Verifier().Verify(this.wit.Token, proof, Context(), Now));

        // Assert
        Assert.That(ex.Failure, Is.EqualTo(WorkloadProofFailure.Algorithm));
    }

    [TestCase("""{"alg":"ES256"}""")]
    [TestCase("""{"alg":"ES256","typ":"JWT"}""")]
    [TestCase("""{"alg":"ES256","typ":"wit+jwt"}""")]
    [TestCase("""{"alg":"ES256","typ":"wpt+jwt","jwk":{}}""")]
    [TestCase("""{"alg":"ES256","typ":"wpt+jwt","crit":["x"]}""")]
    public void Verify_WrongTypeOrHeaderMember_Refused(string header)
    {
        // Arrange
        var proof = this.wit.SignProof(header, this.Claims().ToJsonString());

        // Act
        var ex = Assert.Throws<WorkloadProofException>(() => this.Verifier().Verify(this.wit.Token, proof, Context(), Now));

        // Assert
        Assert.That(ex.Failure, Is.EqualTo(WorkloadProofFailure.Type));
    }

    [Test]
    public void Verify_TypeWithApplicationPrefix_Accepted()
    {
        // Arrange
        var proof = this.wit.SignProof("""{"alg":"ES256","typ":"application/wpt+jwt"}""", this.Claims().ToJsonString());

        // Act
        var result = this.Verifier().Verify(this.wit.Token, proof, Context(), Now);

        // Assert
        Assert.That(result.Id, Is.EqualTo(Caller));
    }

    [Test]
    public void Verify_ProofMadeForAnotherWit_RefusedOnWth()
    {
        // Arrange: same key, but wth names a different WIT.
        var claims = this.Claims();
        claims["wth"] = Sha256(this.issuer.Issue(Caller, Now).Token);

        // Act
        var ex = Assert.Throws<WorkloadProofException>(() => this.Verifier().Verify(this.wit.Token, this.Sign(claims), Context(), Now));

        // Assert
        Assert.That(ex.Failure, Is.EqualTo(WorkloadProofFailure.WitHash));
        Assert.That(ex.Message, Does.Contain("\"wth\" does not match the presented WIT"));
    }

    [Test]
    public void Verify_NoWth_Refused()
    {
        // Arrange
        var claims = this.Claims();
        claims.Remove("wth");

        // Act
        var ex = Assert.Throws<WorkloadProofException>(() => this.Verifier().Verify(this.wit.Token, this.Sign(claims), Context(), Now));

        // Assert
        Assert.That(ex.Failure, Is.EqualTo(WorkloadProofFailure.WitHash));
    }

    [Test]
    public void Verify_ExpiredProof_Refused()
    {
        // Arrange: exp is 31 s ago, beyond the 30 s skew.
        var proof = WorkloadProofToken.Create(this.wit.Token, this.wit.Key, Context(), TimeSpan.FromSeconds(29), Now.AddMinutes(-1));

        // Act
        var ex = Assert.Throws<WorkloadProofException>(() => this.Verifier().Verify(this.wit.Token, proof.Token, Context(), Now));

        // Assert
        Assert.That(ex.Failure, Is.EqualTo(WorkloadProofFailure.Expired));
        Assert.That(ex.Message, Does.Contain("proof has expired"));
    }

    [Test]
    public void Verify_ExpiredWithinClockSkew_Accepted()
    {
        // Arrange: exp is 30 s ago.
        var proof = WorkloadProofToken.Create(this.wit.Token, this.wit.Key, Context(), TimeSpan.FromSeconds(30), Now.AddMinutes(-1));

        // Act
        var result = this.Verifier().Verify(this.wit.Token, proof.Token, Context(), Now);

        // Assert
        Assert.That(result.ProofExpiry, Is.EqualTo(Now.AddSeconds(-30)));
    }

    [Test]
    public void Verify_NoExp_Refused()
    {
        // Arrange
        var claims = this.Claims();
        claims.Remove("exp");

        // Act
        var ex = Assert.Throws<WorkloadProofException>(() => this.Verifier().Verify(this.wit.Token, this.Sign(claims), Context(), Now));

        // Assert
        Assert.That(ex.Failure, Is.EqualTo(WorkloadProofFailure.Expired));
        Assert.That(ex.Message, Does.Contain("no \"exp\""));
    }

    [Test]
    public void Verify_ExpTooFarAhead_Refused()
    {
        // Arrange: 5 min + 30 s skew is the limit.
        var claims = this.Claims();
        claims["exp"] = Now.AddMinutes(5).AddSeconds(31).ToUnixTimeSeconds();

        // Act
        var ex = Assert.Throws<WorkloadProofException>(() => this.Verifier().Verify(this.wit.Token, this.Sign(claims), Context(), Now));

        // Assert
        Assert.That(ex.Failure, Is.EqualTo(WorkloadProofFailure.ExpiryTooFar));
    }

    [Test]
    public void Verify_ExpBeyondConfiguredMaximum_Refused()
    {
        // Arrange
        var verifier = new WorkloadProofVerifier(this.bundle, new InMemoryWptReplayCache()) { MaxProofLifetime = TimeSpan.FromMinutes(1), ClockSkew = TimeSpan.Zero };
        var proof = WorkloadProofToken.Create(this.wit.Token, this.wit.Key, Context(), TimeSpan.FromSeconds(61), Now);

        // Act
        var ex = Assert.Throws<WorkloadProofException>(() => verifier.Verify(this.wit.Token, proof.Token, Context(), Now));

        // Assert
        Assert.That(ex.Failure, Is.EqualTo(WorkloadProofFailure.ExpiryTooFar));
    }

    [Test]
    public void Verify_IssuedInTheFuture_Refused()
    {
        // Arrange
        var claims = this.Claims();
        claims["iat"] = Now.AddMinutes(1).ToUnixTimeSeconds();

        // Act
        var ex = Assert.Throws<WorkloadProofException>(() => this.Verifier().Verify(this.wit.Token, this.Sign(claims), Context(), Now));

        // Assert
        Assert.That(ex.Failure, Is.EqualTo(WorkloadProofFailure.Expired));
        Assert.That(ex.Message, Does.Contain("issued in the future"));
    }

    [TestCase("exp", "\"soon\"")]
    [TestCase("exp", "1.5")]
    [TestCase("jti", "7")]
    [TestCase("wth", "null")]
    public void Verify_ClaimOfWrongType_RefusedAsMalformed(string claim, string json)
    {
        // Arrange
        var claims = this.Claims();
        claims[claim] = JsonNode.Parse(json);

        // Act
        var ex = Assert.Throws<WorkloadProofException>(() => this.Verifier().Verify(this.wit.Token, this.Sign(claims), Context(), Now));

        // Assert
        Assert.That(ex.Failure, Is.EqualTo(WorkloadProofFailure.MalformedProof));
    }

    public static IEnumerable<TestCaseData> ContextTokenMismatches()
    {
        yield return Mismatch("ath missing", Context(access: "a1"), Context(), WorkloadProofFailure.AccessTokenHash, "no \"ath\" for the presented access token");
        yield return Mismatch("ath mismatched", Context(access: "a1"), Context(access: "a2"), WorkloadProofFailure.AccessTokenHash, "\"ath\" does not match");
        yield return Mismatch("ath without token", Context(), Context(access: "a1"), WorkloadProofFailure.AccessTokenHash, "presents no access token");
        yield return Mismatch("tth missing", Context(txn: "t1"), Context(), WorkloadProofFailure.TransactionTokenHash, "no \"tth\"");
        yield return Mismatch("tth mismatched", Context(txn: "t1"), Context(txn: "t2"), WorkloadProofFailure.TransactionTokenHash, "\"tth\" does not match");
        yield return Mismatch("tth without token", Context(), Context(txn: "t1"), WorkloadProofFailure.TransactionTokenHash, "presents no transaction token");
        yield return Mismatch("oth missing", Context(other: new() { ["x-user"] = "u1" }), Context(), WorkloadProofFailure.OtherTokenHash, "does not cover the presented \"x-user\" token");
        yield return Mismatch("oth mismatched", Context(other: new() { ["x-user"] = "u1" }), Context(other: new() { ["x-user"] = "u2" }), WorkloadProofFailure.OtherTokenHash, "\"x-user\" does not match");
        yield return Mismatch("oth unknown key", Context(other: new() { ["x-user"] = "u1" }), Context(other: new() { ["x-user"] = "u1", ["x-unknown"] = "z" }), WorkloadProofFailure.OtherTokenHash, "\"x-unknown\" is not a token this request presents");
        yield return Mismatch("non-ASCII access token", Context(access: "ä1"), Context(access: "a1"), WorkloadProofFailure.AccessTokenHash, "\"ath\" does not match");
    }

    [TestCaseSource(nameof(ContextTokenMismatches))]
    public void Verify_ContextTokenMismatch_Refused(WorkloadProofContext presented, WorkloadProofContext proven, WorkloadProofFailure failure, string message)
    {
        // Arrange
        var proof = Proof(this.wit, proven);

        // Act
        var ex = Assert.Throws<WorkloadProofException>(() => this.Verifier().Verify(this.wit.Token, proof.Token, presented, Now));

        // Assert
        Assert.That(ex.Failure, Is.EqualTo(failure));
        Assert.That(ex.Message, Does.Contain(message));
    }

    [Test]
    public void Verify_OthNotAnObject_Refused()
    {
        // Arrange
        var claims = this.Claims();
        claims["oth"] = "x";

        // Act
        var ex = Assert.Throws<WorkloadProofException>(() => this.Verifier().Verify(this.wit.Token, this.Sign(claims), Context(), Now));

        // Assert
        Assert.That(ex.Failure, Is.EqualTo(WorkloadProofFailure.OtherTokenHash));
    }

    [Test]
    public void Verify_WitWithAudience_Refused()
    {
        // Arrange
        var claims = JsonNode.Parse(Base64Url.DecodeFromChars(this.wit.Token.Split('.')[1]))!.AsObject();
        claims["aud"] = Target;
        var badWit = this.issuer.CreateToken(this.issuer.Header, claims.ToJsonString());

        // Act
        var ex = Assert.Throws<WorkloadProofException>(() => this.Verifier().Verify(badWit, Proof(this.wit, Context()).Token, Context(), Now));

        // Assert
        Assert.That(ex.Failure, Is.EqualTo(WorkloadProofFailure.InvalidWit));
        Assert.That(ex.Message, Does.Contain("must not have an \"aud\" claim"));
    }

    [Test]
    public void Verify_WitWithWrongTyp_Refused()
    {
        // Arrange
        var payload = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(this.wit.Token.Split('.')[1]));
        var badWit = this.issuer.CreateToken("""{"alg":"ES256","kid":"wit-1","typ":"JWT"}""", payload);

        // Act
        var ex = Assert.Throws<WorkloadProofException>(() => this.Verifier().Verify(badWit, Proof(this.wit, Context()).Token, Context(), Now));

        // Assert
        Assert.That(ex.Failure, Is.EqualTo(WorkloadProofFailure.InvalidWit));
        Assert.That(ex.Message, Does.Contain("\"typ\" must be \"wit+jwt\""));
    }

    [Test]
    public void Verify_WitWithUnknownKid_Refused()
    {
        // Arrange
        var stranger = new TestWitIssuer(Td, "unknown-kid").Issue(Caller, Now);

        // Act
        var ex = Assert.Throws<WorkloadProofException>(() => this.Verifier().Verify(stranger.Token, Proof(stranger, Context()).Token, Context(), Now));

        // Assert
        Assert.That(ex.Failure, Is.EqualTo(WorkloadProofFailure.InvalidWit));
        Assert.That(ex.Message, Does.Contain("no WIT authority with key ID \"unknown-kid\""));
    }

    [Test]
    public void Verify_WitFromTrustDomainWithoutBundle_Refused()
    {
        // Arrange
        var partner = new TestWitIssuer(TrustDomain.Parse("partner.test")).Issue(SpiffeId.Parse("spiffe://partner.test/agent"), Now);

        // Act
        var ex = Assert.Throws<WorkloadProofException>(() => this.Verifier().Verify(partner.Token, Proof(partner, Context()).Token, Context(), Now));

        // Assert
        Assert.That(ex.Failure, Is.EqualTo(WorkloadProofFailure.InvalidWit));
        Assert.That(ex.Message, Does.Contain("no WIT bundle for trust domain \"partner.test\""));
    }

    [Test]
    public void Verify_RevokedWitJti_Refused()
    {
        // Arrange
        var verifier = this.Verifier(isRevoked: jti => jti == this.wit.Jti);

        // Act
        var ex = Assert.Throws<WorkloadProofException>(() => verifier.Verify(this.wit.Token, Proof(this.wit, Context()).Token, Context(), Now));

        // Assert
        Assert.That(ex.Failure, Is.EqualTo(WorkloadProofFailure.RevokedWit));
        Assert.That(ex.Message, Does.Contain("is revoked"));
    }

    [Test]
    public void Verify_NotRevokedWitJti_AcceptedAndCheckedOnce()
    {
        // Arrange
        var checkedJtis = new List<string>();
        var verifier = this.Verifier(isRevoked: jti =>
        {
            checkedJtis.Add(jti);
            return false;
        });

        // Act
        verifier.Verify(this.wit.Token, Proof(this.wit, Context()).Token, Context(), Now);

        // Assert
        Assert.That(checkedJtis, Is.EqualTo(new[] { this.wit.Jti }));
    }

    [Test]
    public void Verify_WitWithoutJtiWhileRevocationConfigured_Refused()
    {
        // Arrange
        var noJti = this.issuer.Issue(Caller, Now, includeJti: false);
        var verifier = this.Verifier(isRevoked: _ => false);

        // Act
        var ex = Assert.Throws<WorkloadProofException>(() => verifier.Verify(noJti.Token, Proof(noJti, Context()).Token, Context(), Now));

        // Assert
        Assert.That(ex.Failure, Is.EqualTo(WorkloadProofFailure.RevokedWit));
        Assert.That(ex.Message, Does.Contain("has no \"jti\""));
    }

    [Test]
    public void Properties_OutOfRange_Throw()
    {
        // Act + Assert
        Assert.Multiple(() =>
        {
            Assert.That(() => new WorkloadProofVerifier(this.bundle, new InMemoryWptReplayCache()) { MaxProofLifetime = TimeSpan.Zero }, Throws.InstanceOf<ArgumentOutOfRangeException>());
            Assert.That(() => new WorkloadProofVerifier(this.bundle, new InMemoryWptReplayCache()) { ClockSkew = TimeSpan.FromSeconds(-1) }, Throws.InstanceOf<ArgumentOutOfRangeException>());
        });
    }

    private static WorkloadProofContext Context(string audience = Target, string? access = null, string? txn = null, Dictionary<string, string>? other = null) =>
        new() { Audience = audience, AccessToken = access, TransactionToken = txn, OtherTokens = other };

    private static TestCaseData Mismatch(string name, WorkloadProofContext presented, WorkloadProofContext proven, WorkloadProofFailure failure, string message) =>
        new TestCaseData(presented, proven, failure, message).SetName("Verify_ContextTokenMismatch_Refused(" + name + ")");

    private static WorkloadProofToken Proof(TestWit presented, WorkloadProofContext context) =>
        WorkloadProofToken.Create(presented.Token, presented.Key, context, WorkloadProofToken.DefaultLifetime, Now);

    private static string Header(string algorithm) => $$"""{"alg":"{{algorithm}}","typ":"wpt+jwt"}""";

    private static string Sha256(string text) => Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(text)));

    private WorkloadProofVerifier Verifier(Func<string, bool>? isRevoked = null) =>
        new(this.bundle, new InMemoryWptReplayCache()) { IsRevoked = isRevoked };

    private JsonObject Claims() => Claims(this.wit);

    private static JsonObject Claims(TestWit presented) => new()
    {
        ["aud"] = Target,
        ["exp"] = Now.AddMinutes(1).ToUnixTimeSeconds(),
        ["iat"] = Now.ToUnixTimeSeconds(),
        ["jti"] = "proof-1",
        ["wth"] = Sha256(presented.Token),
    };

    private string Sign(JsonObject claims) => this.wit.SignProof(Header(this.wit.Algorithm), claims.ToJsonString());
}
