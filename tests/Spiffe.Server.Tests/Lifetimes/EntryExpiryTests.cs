using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.Extensions.Time.Testing;
using Spiffe.Core;
using Spiffe.Proto.Spire.Server.Entry.V1;
using Spiffe.Proto.Spire.Server.Svid.V1;
using Spiffe.Server.DataStore;
using Spiffe.Server.Tests.Infrastructure;
using EntryClient = Spiffe.Proto.Spire.Server.Entry.V1.Entry.EntryClient;
using SvidClient = Spiffe.Proto.Spire.Server.Svid.V1.SVID.SVIDClient;

namespace Spiffe.Server.Tests.Lifetimes;

/// <summary>
/// An entry's <c>expires_at</c> caps the lifetime of every SVID signed for it, and an expired entry is neither
/// authorized nor synced (its descendants neither), on a server driven by a fake clock.
/// </summary>
[TestFixture]
public sealed class EntryExpiryTests
{
    private static readonly SpiffeId TaskEntryId = SpiffeId.Parse("spiffe://example.org/agent/a/task/t1");

    private FakeTimeProvider clock = null!;
    private TestServer server = null!;
    private TestAgent agent = null!;

    [SetUp]
    public async Task StartServer()
    {
        this.clock = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        this.server = await TestServer.StartAsync(c => c with { FeatureFlags = ["wit-svid"] }, this.clock);
        this.agent = new TestAgent(this.server, await this.server.GetTrustAnchorsAsync());
        await this.agent.AttestJoinTokenAsync(await this.server.CreateJoinTokenAsync());
    }

    [TearDown]
    public async Task StopServer() => await this.server.DisposeAsync();

    [Test]
    public async Task EveryIssuer_EntryExpiresBeforeTtl_CapsSvidAtEntryExpiry()
    {
        // Arrange
        var expiresAt = this.clock.GetUtcNow().ToUnixTimeSeconds() + 90;
        var entry = await this.CreateEntryAsync(TaskEntryId, this.agent.Id, expiresAt);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var channel = this.agent.CreateChannel();
        var client = new SvidClient(channel);

        // Act
        var x509 = (await client.BatchNewX509SVIDAsync(X509Batch(entry.Id, key)).ResponseAsync.DefaultTimeout()).Results.Single();
        var jwt = await client.NewJWTSVIDAsync(new NewJWTSVIDRequest { EntryId = entry.Id, Audience = { "api" } }).ResponseAsync.DefaultTimeout();
        var wit = (await client.BatchNewWITSVIDAsync(WitBatch(entry.Id, key)).ResponseAsync.DefaultTimeout()).Results.Single();

        // Assert
        using var leaf = X509CertificateLoader.LoadCertificate(x509.Svid.CertChain[0].Span);
        var jwtExp = JwtSvid.ParseInsecure(jwt.Svid.Token, ["api"], this.clock.GetUtcNow()).Expiry;
        var witExp = WitSvid.ParseInsecure(wit.Svid.Token, this.clock.GetUtcNow()).Expiry;
        Assert.Multiple(() =>
        {
            Assert.That(x509.Status.Code, Is.Zero, x509.Status.Message);
            Assert.That(new DateTimeOffset(leaf.NotAfter.ToUniversalTime()).ToUnixTimeSeconds(), Is.EqualTo(expiresAt));
            Assert.That(x509.Svid.ExpiresAt, Is.EqualTo(expiresAt));
            Assert.That(jwt.Svid.ExpiresAt, Is.EqualTo(expiresAt));
            Assert.That(jwtExp.ToUnixTimeSeconds(), Is.EqualTo(expiresAt));
            Assert.That(wit.Status.Code, Is.Zero, wit.Status.Message);
            Assert.That(wit.Svid.ExpiresAt, Is.EqualTo(expiresAt));
            Assert.That(witExp.ToUnixTimeSeconds(), Is.EqualTo(expiresAt));
        });
    }

    [Test]
    public async Task EveryIssuer_EntryExpiresAfterTtl_KeepsTheTtl()
    {
        // Arrange
        var now = this.clock.GetUtcNow().ToUnixTimeSeconds();
        var entry = await this.CreateEntryAsync(TaskEntryId, this.agent.Id, now + 86_400, x509Ttl: 600, jwtTtl: 120);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var channel = this.agent.CreateChannel();
        var client = new SvidClient(channel);

        // Act
        var x509 = (await client.BatchNewX509SVIDAsync(X509Batch(entry.Id, key)).ResponseAsync.DefaultTimeout()).Results.Single();
        var jwt = await client.NewJWTSVIDAsync(new NewJWTSVIDRequest { EntryId = entry.Id, Audience = { "api" } }).ResponseAsync.DefaultTimeout();
        var wit = (await client.BatchNewWITSVIDAsync(WitBatch(entry.Id, key)).ResponseAsync.DefaultTimeout()).Results.Single();

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(x509.Svid.ExpiresAt, Is.EqualTo(now + 600));
            Assert.That(jwt.Svid.ExpiresAt, Is.EqualTo(now + 120));
            Assert.That(wit.Svid.ExpiresAt, Is.EqualTo(now + 120));
        });
    }

    [Test]
    public async Task Signing_EntryExpired_IsNotFoundForEveryIssuer()
    {
        // Arrange
        var expiresAt = this.clock.GetUtcNow().ToUnixTimeSeconds() + 60;
        var entry = await this.CreateEntryAsync(TaskEntryId, this.agent.Id, expiresAt);
        this.clock.Advance(TimeSpan.FromSeconds(60));
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var channel = this.agent.CreateChannel();
        var client = new SvidClient(channel);

        // Act
        var x509 = (await client.BatchNewX509SVIDAsync(X509Batch(entry.Id, key)).ResponseAsync.DefaultTimeout()).Results.Single();
        var jwt = Assert.ThrowsAsync<RpcException>(async () =>
            await client.NewJWTSVIDAsync(new NewJWTSVIDRequest { EntryId = entry.Id, Audience = { "api" } }).ResponseAsync.DefaultTimeout());
        var wit = (await client.BatchNewWITSVIDAsync(WitBatch(entry.Id, key)).ResponseAsync.DefaultTimeout()).Results.Single();

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That((StatusCode)x509.Status.Code, Is.EqualTo(StatusCode.NotFound));
            Assert.That(x509.Status.Message, Is.EqualTo("entry not found or not authorized"));
            Assert.That(x509.Svid, Is.Null);
            Assert.That(jwt!.StatusCode, Is.EqualTo(StatusCode.NotFound));
            Assert.That((StatusCode)wit.Status.Code, Is.EqualTo(StatusCode.NotFound));
            Assert.That(wit.Svid, Is.Null);
        });
    }

    [Test]
    public async Task AuthorizedEntries_EntryExpires_DropsItAndItsDescendants()
    {
        // Arrange
        var now = this.clock.GetUtcNow().ToUnixTimeSeconds();
        var parent = await this.CreateEntryAsync(TaskEntryId, this.agent.Id, now + 30);
        var child = await this.server.CreateEntryAsync(SpiffeId.Parse("spiffe://example.org/agent/a/task/t1/tool"), TaskEntryId, "unix:uid:2000");
        var lasting = await this.CreateEntryAsync(SpiffeId.Parse("spiffe://example.org/agent/a/task/t2"), this.agent.Id, now + 3600);
        using var channel = this.agent.CreateChannel();
        var client = new EntryClient(channel);
        var before = await client.GetAuthorizedEntriesAsync(new GetAuthorizedEntriesRequest()).ResponseAsync.DefaultTimeout();

        // Act
        this.clock.Advance(TimeSpan.FromSeconds(30));
        var after = await client.GetAuthorizedEntriesAsync(new GetAuthorizedEntriesRequest()).ResponseAsync.DefaultTimeout();
        using var sync = client.SyncAuthorizedEntries();
        await sync.RequestStream.WriteAsync(new SyncAuthorizedEntriesRequest()).DefaultTimeout();
        await sync.RequestStream.CompleteAsync().DefaultTimeout();
        Assert.That(await sync.ResponseStream.MoveNext(CancellationToken.None).DefaultTimeout(), Is.True);
        var synced = sync.ResponseStream.Current;

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(before.Entries.Select(e => e.Id), Is.EquivalentTo(new[] { parent.Id, child.Id, lasting.Id }));
            Assert.That(after.Entries.Select(e => e.Id), Is.EqualTo(new[] { lasting.Id }));
            Assert.That(synced.Entries.Select(e => e.Id), Is.EqualTo(new[] { lasting.Id }));
        });
    }

    private static BatchNewX509SVIDRequest X509Batch(string entryId, ECDsa key) =>
        new() { Params = { new NewX509SVIDParams { EntryId = entryId, Csr = ByteString.CopyFrom(TestAgent.CreateCsr(key)) } } };

    private static BatchNewWITSVIDRequest WitBatch(string entryId, ECDsa key) =>
        new() { Params = { new NewWITSVIDParams { EntryId = entryId, PublicKey = ByteString.CopyFrom(key.ExportSubjectPublicKeyInfo()), SigningAlgorithm = "ES256" } } };

    private Task<RegistrationEntry> CreateEntryAsync(SpiffeId id, SpiffeId parent, long expiresAt, int x509Ttl = 0, int jwtTtl = 0) =>
        this.server.DataStore.CreateEntryAsync(
            new RegistrationEntry
            {
                SpiffeId = id,
                ParentId = parent,
                Selectors = [new Selector("unix", "uid:1000")],
                ExpiresAt = expiresAt,
                X509SvidTtl = x509Ttl,
                JwtSvidTtl = jwtTtl,
            },
            CancellationToken.None).DefaultTimeout();
}
