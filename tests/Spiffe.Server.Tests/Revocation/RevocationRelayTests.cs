using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Spiffe.Proto.Server.Revocation.V1;
using Spiffe.Proto.Spire.Server.Svid.V1;
using Spiffe.Server.DataStore;
using Spiffe.Server.Hosting;
using Spiffe.Server.Tests.Infrastructure;
using RelayClient = Spiffe.Proto.Server.Revocation.V1.RevocationRelay.RevocationRelayClient;

namespace Spiffe.Server.Tests.Revocation;

/// <summary>
/// <c>spiffe.server.revocation.v1.RevocationRelay</c> on the agent TLS listener with two attested agents and a fake
/// clock: what one publishes the other lists, publication is idempotent per jti or serial, expired revocations are
/// neither listed nor kept, and only agents may call.
/// </summary>
[TestFixture]
public sealed class RevocationRelayTests
{
    private FakeTimeProvider clock = null!;
    private TestServer server = null!;
    private TestAgent publisher = null!;
    private TestAgent listener = null!;

    [SetUp]
    public async Task StartServer()
    {
        this.clock = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        this.server = await TestServer.StartAsync(timeProvider: this.clock);
        var anchors = await this.server.GetTrustAnchorsAsync();
        this.publisher = new TestAgent(this.server, anchors);
        await this.publisher.AttestJoinTokenAsync(await this.server.CreateJoinTokenAsync());
        this.listener = new TestAgent(this.server, anchors);
        await this.listener.AttestJoinTokenAsync(await this.server.CreateJoinTokenAsync());
    }

    [TearDown]
    public async Task StopServer() => await this.server.DisposeAsync();

    [Test]
    public async Task ListRevocations_OtherAgentPublished_SeesEveryRevocationWithThePublishersId()
    {
        // Arrange
        var expires = this.Now + 600;
        using var publisherChannel = this.publisher.CreateChannel();
        using var listenerChannel = this.listener.CreateChannel();
        var jwt = Jti("task-1", "jti-1", expires);
        jwt.AgentId = "spiffe://example.org/spire/agent/join_token/someone-else";
        var x509 = Serial("task-1", "00:AB:CD", expires);

        // Act
        var published = await new RelayClient(publisherChannel).PublishRevocationsAsync(Publish(jwt, x509)).ResponseAsync.DefaultTimeout();
        var listed = await new RelayClient(listenerChannel).ListRevocationsAsync(new ListRevocationsRequest()).ResponseAsync.DefaultTimeout();

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(published.Sequence, Is.EqualTo(2UL));
            Assert.That(listed.Sequence, Is.EqualTo(2UL));
            Assert.That(listed.Revocations, Has.Count.EqualTo(2));
            Assert.That(listed.Revocations[0].Jti, Is.EqualTo("jti-1"));
            Assert.That(listed.Revocations[1].X509Serial, Is.EqualTo("abcd"));
            Assert.That(listed.Revocations.Select(r => r.AgentId), Is.All.EqualTo(this.publisher.Id.ToString()));
            Assert.That(listed.Revocations.Select(r => r.TaskId), Is.All.EqualTo("task-1"));
            Assert.That(listed.Revocations[0].SpiffeId, Is.EqualTo("spiffe://example.org/agent/a/task/task-1"));
            Assert.That(listed.Revocations[0].ExpiresAt, Is.EqualTo(expires));
            Assert.That(listed.Revocations[0].RevokedAt, Is.EqualTo(this.Now - 1));
            Assert.That(listed.Revocations[0].Reason, Is.EqualTo("explicit"));
        });
    }

    [Test]
    public async Task PublishRevocations_SameJtiOrSerialAgain_IsRecordedOnce()
    {
        // Arrange
        var expires = this.Now + 600;
        using var channel = this.publisher.CreateChannel();
        using var otherChannel = this.listener.CreateChannel();
        var client = new RelayClient(channel);
        await client.PublishRevocationsAsync(Publish(Jti("task-1", "jti-1", expires), Serial("task-1", "0x0abc", expires))).ResponseAsync.DefaultTimeout();

        // Act
        var again = await client.PublishRevocationsAsync(Publish(Jti("task-1", "jti-1", expires + 60), Serial("task-1", "0A:BC", expires))).ResponseAsync.DefaultTimeout();
        var fromOther = await new RelayClient(otherChannel).PublishRevocationsAsync(Publish(Jti("task-9", "jti-1", expires))).ResponseAsync.DefaultTimeout();
        var listed = await client.ListRevocationsAsync(new ListRevocationsRequest()).ResponseAsync.DefaultTimeout();

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(again.Sequence, Is.EqualTo(2UL));
            Assert.That(fromOther.Sequence, Is.EqualTo(2UL));
            Assert.That(listed.Revocations.Select(r => r.Jti.Length > 0 ? r.Jti : r.X509Serial), Is.EqualTo(new[] { "jti-1", "abc" }));
            Assert.That(listed.Revocations[0].ExpiresAt, Is.EqualTo(expires));
            Assert.That(listed.Revocations[0].TaskId, Is.EqualTo("task-1"));
        });
    }

    [Test]
    public async Task ListRevocations_AfterSequence_ReturnsOnlyNewerOnes()
    {
        // Arrange
        var expires = this.Now + 600;
        using var channel = this.publisher.CreateChannel();
        var client = new RelayClient(channel);
        var first = await client.PublishRevocationsAsync(Publish(Jti("task-1", "jti-1", expires))).ResponseAsync.DefaultTimeout();
        var upToDate = await client.ListRevocationsAsync(new ListRevocationsRequest { AfterSequence = first.Sequence }).ResponseAsync.DefaultTimeout();
        await client.PublishRevocationsAsync(Publish(Jti("task-2", "jti-2", expires))).ResponseAsync.DefaultTimeout();

        // Act
        var newer = await client.ListRevocationsAsync(new ListRevocationsRequest { AfterSequence = first.Sequence }).ResponseAsync.DefaultTimeout();
        var ahead = await client.ListRevocationsAsync(new ListRevocationsRequest { AfterSequence = 1000 }).ResponseAsync.DefaultTimeout();

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(upToDate.Revocations, Is.Empty);
            Assert.That(upToDate.Sequence, Is.EqualTo(1UL));
            Assert.That(newer.Revocations.Select(r => r.Jti), Is.EqualTo(new[] { "jti-2" }));
            Assert.That(newer.Sequence, Is.EqualTo(2UL));
            Assert.That(ahead.Revocations.Select(r => r.Jti), Is.EqualTo(new[] { "jti-1", "jti-2" }));
        });
    }

    [Test]
    public async Task Maintenance_RevocationExpired_IsNoLongerListedAndIsPrunedWhileTheSequenceKeepsGrowing()
    {
        // Arrange
        using var channel = this.publisher.CreateChannel();
        var client = new RelayClient(channel);
        await client.PublishRevocationsAsync(Publish(Jti("task-1", "short", this.Now + 60), Jti("task-1", "long", this.Now + 600))).ResponseAsync.DefaultTimeout();
        var store = this.server.Host.Services.GetRequiredService<IRevocationRelayStore>();

        // Act
        this.clock.Advance(TimeSpan.FromSeconds(60));
        var listed = await client.ListRevocationsAsync(new ListRevocationsRequest()).ResponseAsync.DefaultTimeout();
        var storedBefore = await store.ListRevocationsAsync(0, 0, CancellationToken.None).DefaultTimeout();
        await this.server.Host.Services.GetRequiredService<MaintenanceService>().RunOnceAsync(CancellationToken.None).DefaultTimeout();
        var storedAfter = await store.ListRevocationsAsync(0, 0, CancellationToken.None).DefaultTimeout();
        var republished = await client.PublishRevocationsAsync(Publish(Jti("task-1", "short", this.Now), Jti("task-2", "next", this.Now + 600))).ResponseAsync.DefaultTimeout();

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(listed.Revocations.Select(r => r.Jti), Is.EqualTo(new[] { "long" }));
            Assert.That(storedBefore.Revocations.Select(r => r.CredentialId), Is.EqualTo(new[] { "short", "long" }));
            Assert.That(storedAfter.Revocations.Select(r => r.CredentialId), Is.EqualTo(new[] { "long" }));
            Assert.That(republished.Sequence, Is.EqualTo(3UL));
            Assert.That(this.server.Logs.Records.Any(e => e.EventName == "RevocationsPruned"), Is.True);
        });
    }

    [Test]
    public async Task Restart_RevocationsAndSequence_Survive()
    {
        // Arrange
        using (var channel = this.publisher.CreateChannel())
        {
            await new RelayClient(channel).PublishRevocationsAsync(Publish(Jti("task-1", "jti-1", this.Now + 600))).ResponseAsync.DefaultTimeout();
        }

        // Act
        await this.server.RestartAsync();
        using var after = this.listener.CreateChannel();
        var listed = await new RelayClient(after).ListRevocationsAsync(new ListRevocationsRequest()).ResponseAsync.DefaultTimeout();

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(listed.Revocations.Select(r => r.Jti), Is.EqualTo(new[] { "jti-1" }));
            Assert.That(listed.Sequence, Is.EqualTo(1UL));
        });
    }

    [Test]
    public async Task BothRpcs_CallerIsNotAnAgent_ArePermissionDenied()
    {
        // Arrange
        var entry = await this.server.CreateEntryAsync(Spiffe.Core.SpiffeId.Parse("spiffe://example.org/workload"), this.publisher.Id, "unix:uid:1000");
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var agentChannel = this.publisher.CreateChannel();
        var svid = (await new SVID.SVIDClient(agentChannel).BatchNewX509SVIDAsync(new BatchNewX509SVIDRequest
        {
            Params = { new NewX509SVIDParams { EntryId = entry.Id, Csr = ByteString.CopyFrom(TestAgent.CreateCsr(key)) } },
        }).ResponseAsync.DefaultTimeout()).Results.Single().Svid;
        using var leaf = X509CertificateLoader.LoadCertificate(svid.CertChain[0].Span);
        using var workloadCertificate = leaf.CopyWithPrivateKey(key);
        var anchors = await this.server.GetTrustAnchorsAsync();
        using var workloadChannel = this.server.CreateAgentChannel(anchors, workloadCertificate);
        using var anonymousChannel = this.server.CreateAgentChannel(anchors);

        // Act
        var workloadPublish = Assert.ThrowsAsync<RpcException>(async () =>
            await new RelayClient(workloadChannel).PublishRevocationsAsync(Publish(Jti("task-1", "jti-1", this.Now + 600))).ResponseAsync.DefaultTimeout());
        var workloadList = Assert.ThrowsAsync<RpcException>(async () =>
            await new RelayClient(workloadChannel).ListRevocationsAsync(new ListRevocationsRequest()).ResponseAsync.DefaultTimeout());
        var anonymousList = Assert.ThrowsAsync<RpcException>(async () =>
            await new RelayClient(anonymousChannel).ListRevocationsAsync(new ListRevocationsRequest()).ResponseAsync.DefaultTimeout());
        var stored = await this.server.Host.Services.GetRequiredService<IRevocationRelayStore>().ListRevocationsAsync(0, 0, CancellationToken.None).DefaultTimeout();

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(workloadPublish!.StatusCode, Is.EqualTo(StatusCode.PermissionDenied));
            Assert.That(workloadList!.StatusCode, Is.EqualTo(StatusCode.PermissionDenied));
            Assert.That(anonymousList!.StatusCode, Is.EqualTo(StatusCode.PermissionDenied));
            Assert.That(stored.Revocations, Is.Empty);
        });
    }

    [TestCase("", "x", 600, "revocation 1: task_id must have 1 to 128 characters")]
    [TestCase("task", "", 600, "revocation 1: jti must have 1 to 255 characters")]
    [TestCase("task", "x", 0, "revocation 1: expires_at is required")]
    public async Task PublishRevocations_MalformedItem_IsInvalidArgumentAndStoresNothing(string taskId, string jti, int lifetime, string expected)
    {
        // Arrange
        using var channel = this.publisher.CreateChannel();
        var bad = Jti(taskId, jti, lifetime == 0 ? 0 : this.Now + lifetime);

        // Act
        var ex = Assert.ThrowsAsync<RpcException>(async () =>
            await new RelayClient(channel).PublishRevocationsAsync(Publish(Jti("task", "good", this.Now + 600), bad)).ResponseAsync.DefaultTimeout());
        var listed = await new RelayClient(channel).ListRevocationsAsync(new ListRevocationsRequest()).ResponseAsync.DefaultTimeout();

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(ex!.StatusCode, Is.EqualTo(StatusCode.InvalidArgument));
            Assert.That(ex.Status.Detail, Is.EqualTo(expected));
            Assert.That(listed.Revocations, Is.Empty);
            Assert.That(listed.Sequence, Is.Zero);
        });
    }

    [Test]
    public async Task PublishRevocations_BadSerialOrNoCredential_IsInvalidArgument()
    {
        // Arrange
        using var channel = this.publisher.CreateChannel();
        var client = new RelayClient(channel);
        var none = new RelayedRevocation { TaskId = "task", ExpiresAt = this.Now + 600 };

        // Act
        var badSerial = Assert.ThrowsAsync<RpcException>(async () =>
            await client.PublishRevocationsAsync(Publish(Serial("task", "not-hex", this.Now + 600))).ResponseAsync.DefaultTimeout());
        var noCredential = Assert.ThrowsAsync<RpcException>(async () =>
            await client.PublishRevocationsAsync(Publish(none)).ResponseAsync.DefaultTimeout());

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(badSerial!.Status.Detail, Is.EqualTo("revocation 0: x509_serial must be a hexadecimal serial number"));
            Assert.That(noCredential!.Status.Detail, Is.EqualTo("revocation 0: one of jti or x509_serial is required"));
        });
    }

    private long Now => this.clock.GetUtcNow().ToUnixTimeSeconds();

    private static PublishRevocationsRequest Publish(params RelayedRevocation[] revocations)
    {
        var request = new PublishRevocationsRequest();
        request.Revocations.AddRange(revocations);
        return request;
    }

    private RelayedRevocation Jti(string taskId, string jti, long expiresAt) => new()
    {
        TaskId = taskId,
        Jti = jti,
        SpiffeId = "spiffe://example.org/agent/a/task/" + taskId,
        ExpiresAt = expiresAt,
        RevokedAt = this.Now - 1,
        Reason = "explicit",
    };

    private RelayedRevocation Serial(string taskId, string serial, long expiresAt) => new()
    {
        TaskId = taskId,
        X509Serial = serial,
        SpiffeId = "spiffe://example.org/agent/a/task/" + taskId,
        ExpiresAt = expiresAt,
        RevokedAt = this.Now - 1,
        Reason = "explicit",
    };
}
