using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Grpc.Core;
using Microsoft.Extensions.Time.Testing;
using Spiffe.Proto.Spire.Server.Agent.V1;
using Spiffe.Proto.Spire.Server.Entry.V1;
using Spiffe.Server.Tests.Infrastructure;
using AgentClient = Spiffe.Proto.Spire.Server.Agent.V1.Agent.AgentClient;
using EntryClient = Spiffe.Proto.Spire.Server.Entry.V1.Entry.EntryClient;
using Reason = Spiffe.Proto.Spire.Types.PermissionDeniedDetails.Types.Reason;

namespace Spiffe.Server.Tests.AgentFacing;

[TestFixture]
public sealed class AgentAuthorizationTests
{
    [Test]
    public async Task RenewAgent_JoinTokenAgent_KeepsOldSerialUntilNewSvidIsUsed()
    {
        // Arrange
        await using var server = await TestServer.StartAsync();
        var agent = await AttestAsync(server);
        var oldSerial = Spiffe.Server.Ca.SerialNumbers.ToDecimal(agent.Svid!);

        // Act
        await agent.RenewAsync();
        var afterRenew = await server.DataStore.GetAttestedAgentAsync(agent.Id, CancellationToken.None).DefaultTimeout();

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(afterRenew!.SerialNumber, Is.EqualTo(oldSerial));
            Assert.That(afterRenew.NewSerialNumber, Is.EqualTo(Spiffe.Server.Ca.SerialNumbers.ToDecimal(agent.Svid!)));
            Assert.That(agent.Svid!.NotAfter, Is.GreaterThan(TimeProvider.System.GetUtcNow().UtcDateTime));
        });
    }

    [Test]
    public async Task AgentCall_WithNewSerial_PromotesItAndOldSvidGetsAgentNotActive()
    {
        // Arrange
        await using var server = await TestServer.StartAsync();
        var agent = await AttestAsync(server);
        var oldSvid = agent.Svid!;
        await agent.RenewAsync();

        // Act
        using (var channel = agent.CreateChannel())
        {
            await new EntryClient(channel).GetAuthorizedEntriesAsync(new GetAuthorizedEntriesRequest()).ResponseAsync.DefaultTimeout();
        }

        var promoted = await server.DataStore.GetAttestedAgentAsync(agent.Id, CancellationToken.None).DefaultTimeout();
        using var oldChannel = agent.CreateChannel(oldSvid);
        var ex = Assert.ThrowsAsync<RpcException>(() => new EntryClient(oldChannel).GetAuthorizedEntriesAsync(new GetAuthorizedEntriesRequest()).ResponseAsync.DefaultTimeout());

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(promoted!.SerialNumber, Is.EqualTo(Spiffe.Server.Ca.SerialNumbers.ToDecimal(agent.Svid!)));
            Assert.That(promoted.NewSerialNumber, Is.Empty);
            Assert.That(ex!.StatusCode, Is.EqualTo(StatusCode.PermissionDenied));
            Assert.That(GrpcAssert.DeniedReason(ex), Is.EqualTo(Reason.AgentNotActive));
            Assert.That(server.Logs.Records.Select(r => r.EventName), Does.Contain("AgentSerialPromoted"));
        });
    }

    [Test]
    public async Task AgentCall_BannedAgent_FailsWithAgentBannedDetails()
    {
        // Arrange
        await using var server = await TestServer.StartAsync();
        var agent = await AttestAsync(server);
        var stored = await server.DataStore.GetAttestedAgentAsync(agent.Id, CancellationToken.None).DefaultTimeout();
        await server.DataStore.UpdateAttestedAgentAsync(stored! with { Banned = true }, CancellationToken.None).DefaultTimeout();
        using var channel = agent.CreateChannel();

        // Act
        var ex = Assert.ThrowsAsync<RpcException>(() => new EntryClient(channel).GetAuthorizedEntriesAsync(new GetAuthorizedEntriesRequest()).ResponseAsync.DefaultTimeout());

        // Assert
        Assert.That(ex!.StatusCode, Is.EqualTo(StatusCode.PermissionDenied));
        Assert.That(GrpcAssert.DeniedReason(ex), Is.EqualTo(Reason.AgentBanned));
    }

    [Test]
    public async Task AgentCall_EvictedAgent_FailsWithAgentNotAttestedDetails()
    {
        // Arrange
        await using var server = await TestServer.StartAsync();
        var agent = await AttestAsync(server);
        await server.DataStore.DeleteAttestedAgentAsync(agent.Id, CancellationToken.None).DefaultTimeout();
        using var channel = agent.CreateChannel();

        // Act
        var ex = Assert.ThrowsAsync<RpcException>(() => new AgentClient(channel).PostStatusAsync(new PostStatusRequest { AgentVersion = "1.0" }).ResponseAsync.DefaultTimeout());

        // Assert
        Assert.That(ex!.StatusCode, Is.EqualTo(StatusCode.PermissionDenied));
        Assert.That(GrpcAssert.DeniedReason(ex), Is.EqualTo(Reason.AgentNotAttested));
    }

    [Test]
    public async Task AgentCall_ExpiredSvid_FailsWithAgentExpiredDetails()
    {
        // Arrange
        var clock = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        await using var server = await TestServer.StartAsync(c => c with { AgentTtl = TimeSpan.FromMinutes(10) }, clock);
        var agent = await AttestAsync(server);
        clock.Advance(TimeSpan.FromMinutes(11));
        using var channel = agent.CreateChannel();

        // Act
        var ex = Assert.ThrowsAsync<RpcException>(() => new EntryClient(channel).GetAuthorizedEntriesAsync(new GetAuthorizedEntriesRequest()).ResponseAsync.DefaultTimeout());

        // Assert
        Assert.That(ex!.StatusCode, Is.EqualTo(StatusCode.PermissionDenied));
        Assert.That(GrpcAssert.DeniedReason(ex), Is.EqualTo(Reason.AgentExpired));
    }

    [Test]
    public async Task AgentCall_WithoutClientCertificate_FailsPermissionDeniedWithoutDetails()
    {
        // Arrange
        await using var server = await TestServer.StartAsync();
        using var channel = server.CreateAgentChannel(await server.GetTrustAnchorsAsync());

        // Act
        var ex = Assert.ThrowsAsync<RpcException>(() => new EntryClient(channel).GetAuthorizedEntriesAsync(new GetAuthorizedEntriesRequest()).ResponseAsync.DefaultTimeout());

        // Assert
        Assert.That(ex!.StatusCode, Is.EqualTo(StatusCode.PermissionDenied));
        Assert.That(GrpcAssert.DeniedReason(ex), Is.Null);
    }

    [Test]
    public async Task AgentCall_SvidFromAnotherCa_FailsPermissionDenied()
    {
        // Arrange
        await using var server = await TestServer.StartAsync();
        var agent = await AttestAsync(server);
        var now = TimeProvider.System.GetUtcNow();
        var foreign = Testing.TestCa.CreateRoot(TestServer.TrustDomain, now).IssueX509Svid(agent.Id);
        var forged = foreign.Leaf.CopyWithPrivateKey((ECDsa)foreign.PrivateKey);
        using var channel = agent.CreateChannel(forged);

        // Act
        var ex = Assert.ThrowsAsync<RpcException>(() => new EntryClient(channel).GetAuthorizedEntriesAsync(new GetAuthorizedEntriesRequest()).ResponseAsync.DefaultTimeout());

        // Assert
        Assert.That(ex!.StatusCode, Is.EqualTo(StatusCode.PermissionDenied));
        Assert.That(ex.Status.Detail, Is.EqualTo("caller SVID is not signed by this server's trust domain"));
    }

    [Test]
    public async Task PostStatus_AgentVersion_IsStored()
    {
        // Arrange
        await using var server = await TestServer.StartAsync();
        var agent = await AttestAsync(server);
        using var channel = agent.CreateChannel();

        // Act
        await new AgentClient(channel).PostStatusAsync(new PostStatusRequest { AgentVersion = "1.15.3" }).ResponseAsync.DefaultTimeout();

        // Assert
        var stored = await server.DataStore.GetAttestedAgentAsync(agent.Id, CancellationToken.None).DefaultTimeout();
        Assert.That(stored!.AgentVersion, Is.EqualTo("1.15.3"));
    }

    [Test]
    public async Task RenewAgent_MalformedCsr_FailsInvalidArgumentAndChangesNothing()
    {
        // Arrange
        await using var server = await TestServer.StartAsync();
        var agent = await AttestAsync(server);
        var before = await server.DataStore.GetAttestedAgentAsync(agent.Id, CancellationToken.None).DefaultTimeout();
        using var channel = agent.CreateChannel();

        // Act
        var ex = Assert.ThrowsAsync<RpcException>(() => new AgentClient(channel).RenewAgentAsync(new RenewAgentRequest
        {
            Params = new AgentX509SVIDParams { Csr = Google.Protobuf.ByteString.CopyFrom([0x30, 0x03, 0x02, 0x01, 0x00]) },
        }).ResponseAsync.DefaultTimeout());

        // Assert
        var after = await server.DataStore.GetAttestedAgentAsync(agent.Id, CancellationToken.None).DefaultTimeout();
        Assert.That(ex!.StatusCode, Is.EqualTo(StatusCode.InvalidArgument));
        Assert.That(ex.Status.Detail, Does.StartWith("malformed CSR"));
        Assert.That(after, Is.EqualTo(before));
    }

    private static async Task<TestAgent> AttestAsync(TestServer server)
    {
        var agent = new TestAgent(server, await server.GetTrustAnchorsAsync());
        await agent.AttestJoinTokenAsync(await server.CreateJoinTokenAsync());
        return agent;
    }
}
