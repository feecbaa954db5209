using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using Google.Protobuf;
using Grpc.Core;
using Spiffe.Core;
using Spiffe.Proto.Spire.Server.Svid.V1;
using Spiffe.Server.DataStore;
using Spiffe.Server.Tests.Infrastructure;
using SvidClient = Spiffe.Proto.Spire.Server.Svid.V1.SVID.SVIDClient;

namespace Spiffe.Server.Tests.AgentFacing;

[TestFixture]
public sealed class SvidServiceTests
{
    private static readonly SpiffeId Web = SpiffeId.Parse("spiffe://example.org/web");

    [TestCase("sslclient")]
    [TestCase("sslserver")]
    public async Task BatchNewX509Svid_AuthorizedEntry_SignsSvidThatOpenSslVerifies(string purpose)
    {
        // Arrange
        await using var server = await TestServer.StartAsync();
        var agent = await AttestAsync(server);
        var entry = await server.DataStore.CreateEntryAsync(
            new RegistrationEntry { SpiffeId = Web, ParentId = agent.Id, Selectors = [new Selector("unix", "uid:1000")], DnsNames = ["web.example.org", "web"], X509SvidTtl = 600 },
            CancellationToken.None).DefaultTimeout();
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var channel = agent.CreateChannel();

        // Act
        var response = await new SvidClient(channel).BatchNewX509SVIDAsync(Batch((entry.Id, TestAgent.CreateCsr(key, Web)))).ResponseAsync.DefaultTimeout();
        var result = response.Results.Single();
        var leaf = X509CertificateLoader.LoadCertificate(result.Svid.CertChain[0].ToByteArray());
        var verify = await OpenSsl.VerifyAsync(leaf, [], await server.GetTrustAnchorsAsync(), purpose, TimeProvider.System.GetUtcNow());

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(result.Status.Code, Is.Zero);
            Assert.That(result.Svid.CertChain, Has.Count.EqualTo(1));
            Assert.That(result.Svid.Id.Path, Is.EqualTo("/web"));
            Assert.That(Spiffe.Server.Ca.SanEncoder.ReadUris(leaf), Is.EqualTo(new[] { "spiffe://example.org/web" }));
            Assert.That(leaf.GetNameInfo(X509NameType.DnsName, false), Is.EqualTo("web.example.org"));
            Assert.That(leaf.NotAfter - leaf.NotBefore, Is.EqualTo(TimeSpan.FromSeconds(610)));
            Assert.That(leaf.PublicKey.ExportSubjectPublicKeyInfo(), Is.EqualTo(key.ExportSubjectPublicKeyInfo()));
            Assert.That(verify.ExitCode, Is.Zero, verify.Output);
        });
    }

    [Test]
    public async Task BatchNewX509Svid_MixedBatch_ReturnsIndexAlignedPerItemStatus()
    {
        // Arrange
        await using var server = await TestServer.StartAsync();
        var agent = await AttestAsync(server);
        var other = await AttestAsync(server);
        var mine = await server.CreateEntryAsync(Web, agent.Id, "unix:uid:1000");
        var theirs = await server.CreateEntryAsync(SpiffeId.Parse("spiffe://example.org/db"), other.Id, "unix:uid:1001");
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var good = TestAgent.CreateCsr(key);
        var tampered = (byte[])good.Clone();
        tampered[^3] ^= 0x55;
        var entriesBefore = await server.DataStore.CountEntriesAsync(EntryFilter.All, CancellationToken.None).DefaultTimeout();
        using var channel = agent.CreateChannel();

        // Act
        var response = await new SvidClient(channel).BatchNewX509SVIDAsync(Batch(
            (mine.Id, good),
            ("no-such-entry", good),
            (theirs.Id, good),
            (mine.Id, [0x30, 0x00]),
            (mine.Id, tampered))).ResponseAsync.DefaultTimeout();

        // Assert
        var statuses = response.Results.Select(r => ((StatusCode)r.Status.Code, r.Status.Message)).ToArray();
        var entriesAfter = await server.DataStore.CountEntriesAsync(EntryFilter.All, CancellationToken.None).DefaultTimeout();
        Assert.Multiple(() =>
        {
            Assert.That(statuses[0].Item1, Is.EqualTo(StatusCode.OK));
            Assert.That(statuses[1], Is.EqualTo((StatusCode.NotFound, "entry not found or not authorized")));
            Assert.That(statuses[2], Is.EqualTo((StatusCode.NotFound, "entry not found or not authorized")));
            Assert.That(statuses[3].Item1, Is.EqualTo(StatusCode.InvalidArgument));
            Assert.That(statuses[3].Message, Does.StartWith("malformed CSR"));
            Assert.That(statuses[4].Item1, Is.EqualTo(StatusCode.InvalidArgument));
            Assert.That(response.Results.Skip(1).Select(r => r.Svid), Is.All.Null);
            Assert.That(entriesAfter, Is.EqualTo(entriesBefore));
        });
    }

    [Test]
    public async Task BatchNewX509Svid_OversizedRequest_FailsResourceExhaustedAndServerKeepsServing()
    {
        // Arrange
        await using var server = await TestServer.StartAsync(c => c with { MaxReceiveMessageSize = 64 * 1024 });
        var agent = await AttestAsync(server);
        var entry = await server.CreateEntryAsync(Web, agent.Id, "unix:uid:1000");
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var channel = agent.CreateChannel();
        var client = new SvidClient(channel);

        // Act
        var ex = Assert.ThrowsAsync<RpcException>(() => client.BatchNewX509SVIDAsync(Batch((entry.Id, new byte[100 * 1024]))).ResponseAsync.DefaultTimeout());
        var after = await client.BatchNewX509SVIDAsync(Batch((entry.Id, TestAgent.CreateCsr(key)))).ResponseAsync.DefaultTimeout();

        // Assert
        Assert.That(ex!.StatusCode, Is.EqualTo(StatusCode.ResourceExhausted));
        Assert.That(after.Results.Single().Status.Code, Is.Zero);
    }

    [Test]
    public async Task BatchNewX509Svid_EmptyBatch_FailsInvalidArgument()
    {
        // Arrange
        await using var server = await TestServer.StartAsync();
        var agent = await AttestAsync(server);
        using var channel = agent.CreateChannel();

        // Act
        var ex = Assert.ThrowsAsync<RpcException>(() => new SvidClient(channel).BatchNewX509SVIDAsync(new BatchNewX509SVIDRequest()).ResponseAsync.DefaultTimeout());

        // Assert
        Assert.That(ex!.StatusCode, Is.EqualTo(StatusCode.InvalidArgument));
    }

    [TestCase(false)]
    [TestCase(true)]
    public async Task NewJwtSvid_AuthorizedEntry_SignsSpiffeJwt(bool includeJti)
    {
        // Arrange
        await using var server = await TestServer.StartAsync();
        var agent = await AttestAsync(server);
        var entry = await server.DataStore.CreateEntryAsync(
            new RegistrationEntry { SpiffeId = Web, ParentId = agent.Id, Selectors = [new Selector("unix", "uid:1000")], JwtSvidTtl = 120, JwtSvidIncludeJti = includeJti },
            CancellationToken.None).DefaultTimeout();
        using var channel = agent.CreateChannel();

        // Act
        var response = await new SvidClient(channel).NewJWTSVIDAsync(new NewJWTSVIDRequest { EntryId = entry.Id, Audience = { "svc-a", "svc-b" } }).ResponseAsync.DefaultTimeout();

        // Assert
        var parts = response.Svid.Token.Split('.');
        var header = JsonNode.Parse(System.Buffers.Text.Base64Url.DecodeFromChars(parts[0]))!.AsObject();
        var claims = JsonNode.Parse(System.Buffers.Text.Base64Url.DecodeFromChars(parts[1]))!.AsObject();
        var bundle = await server.DataStore.GetBundleAsync(server.Config.TrustDomain, CancellationToken.None).DefaultTimeout();
        var jwk = bundle!.JwtAuthorities.Single(k => k.KeyId == header["kid"]!.GetValue<string>());
        using var verifier = ECDsa.Create();
        verifier.ImportSubjectPublicKeyInfo(jwk.PublicKey, out _);
        var signatureValid = verifier.VerifyData(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), System.Buffers.Text.Base64Url.DecodeFromChars(parts[2]), HashAlgorithmName.SHA256);
        Assert.Multiple(() =>
        {
            Assert.That(header.Select(p => p.Key), Is.EquivalentTo(new[] { "alg", "kid", "typ" }));
            Assert.That(header["alg"]!.GetValue<string>(), Is.EqualTo("ES256"));
            Assert.That(header["typ"]!.GetValue<string>(), Is.EqualTo("JWT"));
            Assert.That(claims["sub"]!.GetValue<string>(), Is.EqualTo("spiffe://example.org/web"));
            Assert.That(claims["aud"]!.AsArray().Select(a => a!.GetValue<string>()), Is.EqualTo(new[] { "svc-a", "svc-b" }));
            Assert.That(claims["exp"]!.GetValue<long>() - claims["iat"]!.GetValue<long>(), Is.EqualTo(120));
            Assert.That(claims.ContainsKey("jti"), Is.EqualTo(includeJti));
            Assert.That(response.Svid.ExpiresAt, Is.EqualTo(claims["exp"]!.GetValue<long>()));
            Assert.That(signatureValid, Is.True);
        });
    }

    [Test]
    public async Task NewJwtSvid_NoAudience_FailsInvalidArgument()
    {
        // Arrange
        await using var server = await TestServer.StartAsync();
        var agent = await AttestAsync(server);
        var entry = await server.CreateEntryAsync(Web, agent.Id, "unix:uid:1000");
        using var channel = agent.CreateChannel();

        // Act
        var ex = Assert.ThrowsAsync<RpcException>(() => new SvidClient(channel).NewJWTSVIDAsync(new NewJWTSVIDRequest { EntryId = entry.Id }).ResponseAsync.DefaultTimeout());

        // Assert
        Assert.That(ex!.StatusCode, Is.EqualTo(StatusCode.InvalidArgument));
    }

    [Test]
    public async Task NewJwtSvid_UnauthorizedEntry_FailsNotFound()
    {
        // Arrange
        await using var server = await TestServer.StartAsync();
        var agent = await AttestAsync(server);
        var other = await AttestAsync(server);
        var theirs = await server.CreateEntryAsync(Web, other.Id, "unix:uid:1000");
        using var channel = agent.CreateChannel();

        // Act
        var ex = Assert.ThrowsAsync<RpcException>(() => new SvidClient(channel).NewJWTSVIDAsync(new NewJWTSVIDRequest { EntryId = theirs.Id, Audience = { "a" } }).ResponseAsync.DefaultTimeout());

        // Assert
        Assert.That(ex!.StatusCode, Is.EqualTo(StatusCode.NotFound));
        Assert.That(ex.Status.Detail, Is.EqualTo("entry not found or not authorized"));
    }

    private static BatchNewX509SVIDRequest Batch(params (string EntryId, byte[] Csr)[] items)
    {
        var request = new BatchNewX509SVIDRequest();
        request.Params.AddRange(items.Select(i => new NewX509SVIDParams { EntryId = i.EntryId, Csr = ByteString.CopyFrom(i.Csr) }));
        return request;
    }

    private static async Task<TestAgent> AttestAsync(TestServer server)
    {
        var agent = new TestAgent(server, await server.GetTrustAnchorsAsync());
        await agent.AttestJoinTokenAsync(await server.CreateJoinTokenAsync());
        return agent;
    }
}
