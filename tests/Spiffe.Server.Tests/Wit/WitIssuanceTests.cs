using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Spiffe.Core;
using Spiffe.Proto.Spire.Server.Bundle.V1;
using Spiffe.Proto.Spire.Server.Svid.V1;
using Spiffe.Server.DataStore;
using Spiffe.Server.Tests.Cli;
using Spiffe.Server.Tests.Infrastructure;
using BundleClient = Spiffe.Proto.Spire.Server.Bundle.V1.Bundle.BundleClient;
using SvidClient = Spiffe.Proto.Spire.Server.Svid.V1.SVID.SVIDClient;

namespace Spiffe.Server.Tests.Wit;

/// <summary>
/// <c>SVID.BatchNewWITSVID</c> on a running server with the <c>wit-svid</c> feature flag: WIT-SVIDs for authorized
/// entries that validate against the WIT authorities the server publishes, per-item refusals, and the bundle outputs.
/// </summary>
[TestFixture]
public sealed class WitIssuanceTests
{
    private static readonly SpiffeId Tool = SpiffeId.Parse("spiffe://example.org/agent/a/task/t1");

    private TestServer server = null!;
    private TestAgent agent = null!;

    [OneTimeSetUp]
    public async Task StartServer()
    {
        this.server = await TestServer.StartAsync(c => c with { FeatureFlags = ["wit-svid"] });
        this.agent = new TestAgent(this.server, await this.server.GetTrustAnchorsAsync());
        await this.agent.AttestJoinTokenAsync(await this.server.CreateJoinTokenAsync());
    }

    [OneTimeTearDown]
    public async Task StopServer() => await this.server.DisposeAsync();

    [Test]
    public async Task BatchNewWitSvid_AuthorizedEntry_IssuesWitSvidThatValidatesAgainstThePublishedBundle()
    {
        // Arrange
        var entry = await this.CreateEntryAsync(Tool, this.agent.Id, hint: "task-tool");
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var channel = this.agent.CreateChannel();

        // Act
        var result = (await new SvidClient(channel).BatchNewWITSVIDAsync(Batch((entry.Id, key.ExportSubjectPublicKeyInfo(), "ES256")))
            .ResponseAsync.DefaultTimeout()).Results.Single();
        var bundle = await this.GetWitBundleAsync(channel);
        var now = TimeProvider.System.GetUtcNow();
        var wit = WitSvid.ParseAndValidate(result.Svid.Token, bundle, now);

        // Assert
        var (header, claims) = Decode(result.Svid.Token);
        Assert.Multiple(() =>
        {
            Assert.That(result.Status.Code, Is.Zero, result.Status.Message);
            Assert.That(wit.Id, Is.EqualTo(Tool));
            Assert.That(wit.ConfirmationKey.Matches(key), Is.True);
            Assert.That(wit.ConfirmationKey.Algorithm, Is.EqualTo("ES256"));
            Assert.That(wit.Jti, Does.Match("^[0-9a-f]{32}$"));
            Assert.That(wit.Expiry - wit.IssuedAt!.Value, Is.EqualTo(TimeSpan.FromMinutes(5)));
            Assert.That(wit.NotBefore, Is.EqualTo(wit.IssuedAt));
            Assert.That(bundle.WitAuthorities.Keys, Does.Contain(wit.KeyId));
            Assert.That(header.GetProperty("typ").GetString(), Is.EqualTo("wit+jwt"));
            Assert.That(header.GetProperty("alg").GetString(), Is.EqualTo("ES256"));
            Assert.That(claims.TryGetProperty("aud", out _), Is.False);
            Assert.That(claims.GetProperty("cnf").GetProperty("jwk").GetProperty("alg").GetString(), Is.EqualTo("ES256"));
            Assert.That(result.Svid.Id.Path, Is.EqualTo(Tool.Path));
            Assert.That(result.Svid.Hint, Is.EqualTo("task-tool"));
            Assert.That(result.Svid.ExpiresAt, Is.EqualTo(wit.Expiry.ToUnixTimeSeconds()));
            Assert.That(result.Svid.IssuedAt, Is.EqualTo(wit.IssuedAt!.Value.ToUnixTimeSeconds()));
        });
    }

    [Test]
    public async Task BatchNewWitSvid_RsaPssKey_ValidatesWithIdentityModel()
    {
        // Arrange
        var entry = await this.CreateEntryAsync(SpiffeId.Parse("spiffe://example.org/agent/a/task/t2"), this.agent.Id, jwtTtl: 120);
        using var key = RSA.Create(2048);
        using var channel = this.agent.CreateChannel();
        var result = (await new SvidClient(channel).BatchNewWITSVIDAsync(Batch((entry.Id, key.ExportSubjectPublicKeyInfo(), "PS256")))
            .ResponseAsync.DefaultTimeout()).Results.Single();
        var bundle = await this.GetWitBundleAsync(channel);
        var signingKeys = bundle.WitAuthorities.Select(a => new ECDsaSecurityKey(a.Value.GetECDsaPublicKey()) { KeyId = a.Key }).ToArray();

        // Act
        var validation = await new JsonWebTokenHandler().ValidateTokenAsync(result.Svid.Token, new TokenValidationParameters
        {
            IssuerSigningKeys = signingKeys,
            ValidAlgorithms = ["ES256"],
            ValidTypes = ["wit+jwt"],
            ValidateAudience = false,
            ValidateIssuer = false,
            RequireExpirationTime = true,
            RequireSignedTokens = true,
        }).DefaultTimeout();

        // Assert
        Assert.That(validation.IsValid, Is.True, validation.Exception?.Message);
        var token = (JsonWebToken)validation.SecurityToken;
        Assert.Multiple(() =>
        {
            Assert.That(token.Subject, Is.EqualTo("spiffe://example.org/agent/a/task/t2"));
            Assert.That(token.Audiences, Is.Empty);
            Assert.That(token.ValidTo - token.IssuedAt, Is.EqualTo(TimeSpan.FromSeconds(120)));
            Assert.That(token.GetPayloadValue<JsonElement>("cnf").GetProperty("jwk").GetProperty("kty").GetString(), Is.EqualTo("RSA"));
            Assert.That(token.GetPayloadValue<JsonElement>("cnf").GetProperty("jwk").GetProperty("alg").GetString(), Is.EqualTo("PS256"));
        });
    }

    [Test]
    public async Task BatchNewWitSvid_MixedBatch_ReturnsIndexAlignedPerItemStatus()
    {
        // Arrange
        var mine = await this.CreateEntryAsync(SpiffeId.Parse("spiffe://example.org/agent/a/task/t3"), this.agent.Id);
        var theirs = await this.CreateEntryAsync(SpiffeId.Parse("spiffe://example.org/agent/b/task/t3"), SpiffeId.Parse("spiffe://example.org/spire/agent/join_token/other"));
        using var p256 = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        using var p521 = ECDsa.Create(ECCurve.NamedCurves.nistP521);
        using var rsa1024 = RSA.Create(1024);
        var spki = p256.ExportSubjectPublicKeyInfo();
        using var channel = this.agent.CreateChannel();

        // Act
        var response = await new SvidClient(channel).BatchNewWITSVIDAsync(Batch(
            (mine.Id, spki, "ES256"),
            (theirs.Id, spki, "ES256"),
            ("no-such-entry", spki, "ES256"),
            (mine.Id, p384.ExportSubjectPublicKeyInfo(), "ES384"),
            (mine.Id, spki, "ES384"),
            (mine.Id, spki, "RS256"),
            (mine.Id, spki, "HS256"),
            (mine.Id, p521.ExportSubjectPublicKeyInfo(), "ES512"),
            (mine.Id, rsa1024.ExportSubjectPublicKeyInfo(), "RS256"),
            (mine.Id, [0x30, 0x03, 0x02, 0x01, 0x01], "ES256"),
            (mine.Id, [.. spki, 0x00], "ES256"),
            (mine.Id, [], "ES256"),
            (mine.Id, spki, string.Empty),
            (string.Empty, spki, "ES256"))).ResponseAsync.DefaultTimeout();

        // Assert
        var statuses = response.Results.Select(r => (StatusCode)r.Status.Code).ToArray();
        var messages = response.Results.Select(r => r.Status.Message).ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(statuses, Is.EqualTo(new[]
            {
                StatusCode.OK, StatusCode.NotFound, StatusCode.NotFound, StatusCode.OK,
                StatusCode.InvalidArgument, StatusCode.InvalidArgument, StatusCode.InvalidArgument, StatusCode.InvalidArgument,
                StatusCode.InvalidArgument, StatusCode.InvalidArgument, StatusCode.InvalidArgument, StatusCode.InvalidArgument,
                StatusCode.InvalidArgument, StatusCode.InvalidArgument,
            }));
            Assert.That(messages[1], Is.EqualTo("entry not found or not authorized"));
            Assert.That(messages[4], Does.StartWith("signing algorithm \"ES384\" cannot be used with the public key"));
            Assert.That(messages[5], Does.StartWith("signing algorithm \"RS256\" cannot be used with the public key"));
            Assert.That(messages[6], Does.Contain("\"HS256\" is not allowed"));
            Assert.That(messages[7], Is.EqualTo("unsupported public key: EC keys must be on P-256 or P-384"));
            Assert.That(messages[8], Is.EqualTo("unsupported public key: RSA keys must have at least 2048 bits, this one has 1024"));
            Assert.That(messages[9], Does.StartWith("malformed public key"));
            Assert.That(messages[10], Is.EqualTo("malformed public key: trailing data after the SubjectPublicKeyInfo"));
            Assert.That(messages[11], Is.EqualTo("missing public key"));
            Assert.That(messages[12], Is.EqualTo("missing signing algorithm"));
            Assert.That(messages[13], Is.EqualTo("missing entry ID"));
            Assert.That(response.Results.Where(r => r.Status.Code != 0).Select(r => r.Svid), Is.All.Null);
            Assert.That(response.Results[3].Svid.Token, Is.Not.Empty);
        });
    }

    [Test]
    public async Task BatchNewWitSvid_NoClientCertificate_IsPermissionDenied()
    {
        // Arrange
        using var channel = this.server.CreateAgentChannel(await this.server.GetTrustAnchorsAsync());

        // Act
        var ex = Assert.ThrowsAsync<RpcException>(async () =>
            await new SvidClient(channel).BatchNewWITSVIDAsync(Batch(("any", [1], "ES256"))).ResponseAsync.DefaultTimeout());

        // Assert
        Assert.That(ex!.StatusCode, Is.EqualTo(StatusCode.PermissionDenied));
    }

    [Test]
    public void BatchNewWitSvid_EmptyOrOversizedBatch_IsInvalidArgument()
    {
        // Arrange
        using var channel = this.agent.CreateChannel();
        var client = new SvidClient(channel);
        var oversized = new BatchNewWITSVIDRequest();
        oversized.Params.AddRange(Enumerable.Range(0, 1001).Select(_ => new NewWITSVIDParams { EntryId = "x" }));

        // Act
        var empty = Assert.ThrowsAsync<RpcException>(async () => await client.BatchNewWITSVIDAsync(new BatchNewWITSVIDRequest()).ResponseAsync.DefaultTimeout());
        var tooMany = Assert.ThrowsAsync<RpcException>(async () => await client.BatchNewWITSVIDAsync(oversized).ResponseAsync.DefaultTimeout());

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(empty!.StatusCode, Is.EqualTo(StatusCode.InvalidArgument));
            Assert.That(tooMany!.StatusCode, Is.EqualTo(StatusCode.InvalidArgument));
        });
    }

    [Test]
    public async Task GetBundle_WitEnabled_PublishesWitAuthoritiesWithKidsDistinctFromJwtKids()
    {
        // Arrange
        using var channel = this.agent.CreateChannel();

        // Act
        var bundle = await new BundleClient(channel).GetBundleAsync(new GetBundleRequest()).ResponseAsync.DefaultTimeout();

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(bundle.WitAuthorities, Has.Count.EqualTo(1));
            Assert.That(bundle.WitAuthorities[0].KeyId, Is.Not.Empty);
            Assert.That(bundle.WitAuthorities[0].ExpiresAt, Is.GreaterThan(0));
            Assert.That(bundle.JwtAuthorities.Select(k => k.KeyId), Has.No.Member(bundle.WitAuthorities[0].KeyId));
        });
    }

    [Test]
    public async Task BundleShow_SpiffeFormat_ListsWitKeysWithUseWitSvid()
    {
        // Arrange
        using var channel = this.agent.CreateChannel();
        var proto = await new BundleClient(channel).GetBundleAsync(new GetBundleRequest()).ResponseAsync.DefaultTimeout();

        // Act
        var result = await CliRunner.RunAsync("bundle", "show", "-format", "spiffe", "-socketPath", this.server.SocketPath);

        // Assert
        Assert.That(result.ExitCode, Is.Zero, result.Stderr);
        using var document = JsonDocument.Parse(result.Stdout);
        var witKeys = document.RootElement.GetProperty("keys").EnumerateArray()
            .Where(k => k.GetProperty("use").GetString() == WitBundle.KeyUse)
            .Select(k => k.GetProperty("kid").GetString())
            .ToArray();
        var parsed = SpiffeBundle.Parse(TrustDomain.Parse("example.org"), Encoding.UTF8.GetBytes(result.Stdout));
        Assert.Multiple(() =>
        {
            Assert.That(witKeys, Is.EqualTo(proto.WitAuthorities.Select(k => k.KeyId).ToArray()));
            Assert.That(parsed.WitAuthorities.Keys, Is.EquivalentTo(proto.WitAuthorities.Select(k => k.KeyId)));
        });
    }

    [Test]
    public async Task BatchNewWitSvid_FeatureFlagOff_IsUnimplementedAndNoWitAuthorityIsPublished()
    {
        // Arrange
        await using var plain = await TestServer.StartAsync();
        var plainAgent = new TestAgent(plain, await plain.GetTrustAnchorsAsync());
        await plainAgent.AttestJoinTokenAsync(await plain.CreateJoinTokenAsync());
        var entry = await plain.CreateEntryAsync(Tool, plainAgent.Id, "unix:uid:1000");
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var channel = plainAgent.CreateChannel();

        // Act
        var ex = Assert.ThrowsAsync<RpcException>(async () =>
            await new SvidClient(channel).BatchNewWITSVIDAsync(Batch((entry.Id, key.ExportSubjectPublicKeyInfo(), "ES256"))).ResponseAsync.DefaultTimeout());
        var bundle = await new BundleClient(channel).GetBundleAsync(new GetBundleRequest()).ResponseAsync.DefaultTimeout();

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(ex!.StatusCode, Is.EqualTo(StatusCode.Unimplemented));
            Assert.That(bundle.WitAuthorities, Is.Empty);
        });
    }

    private static BatchNewWITSVIDRequest Batch(params (string EntryId, byte[] PublicKey, string Algorithm)[] items)
    {
        var request = new BatchNewWITSVIDRequest();
        request.Params.AddRange(items.Select(i => new NewWITSVIDParams
        {
            EntryId = i.EntryId,
            PublicKey = ByteString.CopyFrom(i.PublicKey),
            SigningAlgorithm = i.Algorithm,
        }));
        return request;
    }

    private static (JsonElement Header, JsonElement Claims) Decode(string token)
    {
        var parts = token.Split('.');
        return (JsonDocument.Parse(Base64UrlEncoder.DecodeBytes(parts[0])).RootElement, JsonDocument.Parse(Base64UrlEncoder.DecodeBytes(parts[1])).RootElement);
    }

    private async Task<WitBundle> GetWitBundleAsync(Grpc.Net.Client.GrpcChannel channel)
    {
        var bundle = await new BundleClient(channel).GetBundleAsync(new GetBundleRequest()).ResponseAsync.DefaultTimeout();
        return new WitBundle(
            this.server.Config.TrustDomain,
            bundle.WitAuthorities.Select(k => KeyValuePair.Create(k.KeyId, PublicKey.CreateFromSubjectPublicKeyInfo(k.PublicKey.Span, out _))));
    }

    private Task<RegistrationEntry> CreateEntryAsync(SpiffeId id, SpiffeId parent, int jwtTtl = 0, string hint = "") =>
        this.server.DataStore.CreateEntryAsync(
            new RegistrationEntry { SpiffeId = id, ParentId = parent, Selectors = [new Selector("unix", "uid:1000")], JwtSvidTtl = jwtTtl, Hint = hint },
            CancellationToken.None).DefaultTimeout();
}
