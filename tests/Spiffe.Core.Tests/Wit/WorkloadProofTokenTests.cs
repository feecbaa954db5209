using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Spiffe.Testing;

namespace Spiffe.Core.Tests.Wit;

[TestFixture]
public sealed class WorkloadProofTokenTests
{
    private const string Target = "https://tool.example/items";

    private static readonly DateTimeOffset Now = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TrustDomain Td = TrustDomain.Parse("example.org");
    private static readonly SpiffeId Caller = SpiffeId.Parse("spiffe://example.org/agent/task-1");

    private TestWit wit = null!;
    private WitSvid svid = null!;

    [OneTimeSetUp]
    public void IssueWit()
    {
        this.wit = new TestWitIssuer(Td).Issue(Caller, Now);
        this.svid = WitSvid.ParseInsecure(this.wit.Token, Now);
    }

    [Test]
    public void Create_MinimalContext_WritesHeaderAndRequiredClaims()
    {
        // Act
        var proof = WorkloadProofToken.Create(this.svid, this.wit.Key, new WorkloadProofContext { Audience = Target }, TimeSpan.FromSeconds(90), Now.AddMilliseconds(400));

        // Assert
        var (header, claims) = Decode(proof.Token);
        Assert.Multiple(() =>
        {
            Assert.That(header.Select(p => p.Key), Is.EqualTo(new[] { "alg", "typ" }));
            Assert.That(header["alg"]!.GetValue<string>(), Is.EqualTo("ES256"));
            Assert.That(header["typ"]!.GetValue<string>(), Is.EqualTo("wpt+jwt"));
            Assert.That(claims.Select(p => p.Key), Is.EqualTo(new[] { "aud", "exp", "iat", "jti", "wth" }));
            Assert.That(claims["aud"]!.GetValue<string>(), Is.EqualTo(Target));
            Assert.That(claims["iat"]!.GetValue<long>(), Is.EqualTo(Now.ToUnixTimeSeconds()));
            Assert.That(claims["exp"]!.GetValue<long>(), Is.EqualTo(Now.ToUnixTimeSeconds() + 90));
            Assert.That(claims["jti"]!.GetValue<string>(), Is.EqualTo(proof.Jti));
            Assert.That(claims["wth"]!.GetValue<string>(), Is.EqualTo(Sha256(this.wit.Token)));
            Assert.That(proof.Audience, Is.EqualTo(Target));
            Assert.That(proof.IssuedAt, Is.EqualTo(Now));
            Assert.That(proof.Expiry, Is.EqualTo(Now.AddSeconds(90)));
        });
    }

    [Test]
    public void Create_EcdsaProof_SignatureIsP1363AndVerifiesUnderCnf()
    {
        // Act
        var proof = WorkloadProofToken.Create(this.wit.Token, this.wit.Key, new WorkloadProofContext { Audience = Target }, WorkloadProofToken.DefaultLifetime, Now);

        // Assert
        var segments = proof.Token.Split('.');
        var signature = Base64Url.DecodeFromChars(segments[2]);
        var valid = ((ECDsa)this.wit.Key).VerifyData(Encoding.ASCII.GetBytes(segments[0] + "." + segments[1]), signature, HashAlgorithmName.SHA256);
        Assert.That(signature, Has.Length.EqualTo(64));
        Assert.That(valid, Is.True);
    }

    [Test]
    public void Create_TwoProofs_HaveDistinct128BitJtis()
    {
        // Arrange
        var context = new WorkloadProofContext { Audience = Target };

        // Act
        var first = WorkloadProofToken.Create(this.svid, this.wit.Key, context, WorkloadProofToken.DefaultLifetime, Now);
        var second = WorkloadProofToken.Create(this.svid, this.wit.Key, context, WorkloadProofToken.DefaultLifetime, Now);

        // Assert
        Assert.That(first.Jti, Is.Not.EqualTo(second.Jti));
        Assert.That(Base64Url.DecodeFromChars(first.Jti), Has.Length.EqualTo(16));
    }

    [Test]
    public void Create_ContextTokens_WritesAthTthAndLowerCaseOth()
    {
        // Arrange
        var context = new WorkloadProofContext
        {
            Audience = Target,
            AccessToken = "access-1",
            TransactionToken = "txn-1",
            OtherTokens = new Dictionary<string, string> { ["X-User-Context"] = "  user-1 \t" },
        };

        // Act
        var proof = WorkloadProofToken.Create(this.svid, this.wit.Key, context, WorkloadProofToken.DefaultLifetime, Now);

        // Assert
        var (_, claims) = Decode(proof.Token);
        Assert.Multiple(() =>
        {
            Assert.That(claims["ath"]!.GetValue<string>(), Is.EqualTo(Sha256("access-1")));
            Assert.That(claims["tth"]!.GetValue<string>(), Is.EqualTo(Sha256("txn-1")));
            Assert.That(claims["oth"]!.AsObject().Select(p => p.Key), Is.EqualTo(new[] { "x-user-context" }));
            Assert.That(claims["oth"]!["x-user-context"]!.GetValue<string>(), Is.EqualTo(Sha256("user-1")));
        });
    }

    [Test]
    public void Create_RsaPssWit_UsesCnfAlgorithm()
    {
        // Arrange
        var rsaWit = new TestWitIssuer(Td).Issue(Caller, Now, TestKeyType.Rsa2048, "PS384");

        // Act
        var proof = WorkloadProofToken.Create(rsaWit.Token, rsaWit.Key, new WorkloadProofContext { Audience = Target }, WorkloadProofToken.DefaultLifetime, Now);

        // Assert
        Assert.That(Decode(proof.Token).Header["alg"]!.GetValue<string>(), Is.EqualTo("PS384"));
    }

    [Test]
    public void Create_KeyOfAnotherWit_Throws()
    {
        // Arrange
        var other = new TestWitIssuer(Td).Issue(Caller, Now);

        // Act + Assert
        Assert.That(
            () => WorkloadProofToken.Create(this.svid, other.Key, new WorkloadProofContext { Audience = Target }, WorkloadProofToken.DefaultLifetime, Now),
            Throws.ArgumentException.With.Message.Contains("not the private half of the WIT's cnf.jwk"));
    }

    [TestCase("")]
    [TestCase("https://tool.example/items?x=1")]
    [TestCase("https://tool.example/items#top")]
    public void Create_BadAudience_Throws(string audience)
    {
        // Act + Assert
        Assert.That(
            () => WorkloadProofToken.Create(this.svid, this.wit.Key, new WorkloadProofContext { Audience = audience }, WorkloadProofToken.DefaultLifetime, Now),
            Throws.ArgumentException.With.Message.Contains("no query or fragment"));
    }

    [TestCase(0)]
    [TestCase(301)]
    public void Create_LifetimeOutOfRange_Throws(int seconds)
    {
        // Act + Assert
        Assert.That(
            () => WorkloadProofToken.Create(this.svid, this.wit.Key, new WorkloadProofContext { Audience = Target }, TimeSpan.FromSeconds(seconds), Now),
            Throws.InstanceOf<ArgumentOutOfRangeException>());
    }

    [Test]
    public void Create_BadContextTokens_Throws()
    {
        // Arrange
        static WorkloadProofContext With(string? access = null, string? txn = null, Dictionary<string, string>? other = null) =>
            new() { Audience = Target, AccessToken = access, TransactionToken = txn, OtherTokens = other };

        // Act + Assert
        Assert.Multiple(() =>
        {
            Assert.That(() => this.Create(With(access: "")), Throws.ArgumentException.With.Message.Contains("access token must be non-empty ASCII"));
            Assert.That(() => this.Create(With(txn: "tök")), Throws.ArgumentException.With.Message.Contains("transaction token must be non-empty ASCII"));
            Assert.That(() => this.Create(With(other: new() { ["A"] = "1", ["a"] = "2" })), Throws.ArgumentException.With.Message.Contains("is empty or repeated"));
            Assert.That(() => this.Create(With(other: new() { ["x"] = "  " })), Throws.ArgumentException.With.Message.Contains("\"x\" token must be non-empty ASCII"));
        });
    }

    [Test]
    public void Create_ExpiredWit_Throws()
    {
        // Act + Assert
        Assert.That(
            () => WorkloadProofToken.Create(this.svid, this.wit.Key, new WorkloadProofContext { Audience = Target }, WorkloadProofToken.DefaultLifetime, Now.AddHours(1)),
            Throws.ArgumentException.With.Message.Contains("the WIT expired"));
    }

    [Test]
    public void Create_ExpiredWitText_Throws()
    {
        // Act + Assert
        Assert.That(
            () => WorkloadProofToken.Create(this.wit.Token, this.wit.Key, new WorkloadProofContext { Audience = Target }, WorkloadProofToken.DefaultLifetime, Now.AddHours(2)),
            Throws.InstanceOf<WitSvidException>().With.Message.Contains("token has expired"));
    }

    private static string Sha256(string text) => Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(text)));

    private static (JsonObject Header, JsonObject Claims) Decode(string token)
    {
        var segments = token.Split('.');
        return (
            JsonNode.Parse(Base64Url.DecodeFromChars(segments[0]))!.AsObject(),
            JsonNode.Parse(Base64Url.DecodeFromChars(segments[1]))!.AsObject());
    }

    private WorkloadProofToken Create(WorkloadProofContext context) =>
        WorkloadProofToken.Create(this.svid, this.wit.Key, context, WorkloadProofToken.DefaultLifetime, Now);
}
