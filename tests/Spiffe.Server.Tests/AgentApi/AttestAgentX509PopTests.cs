using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Google.Protobuf;
using Grpc.Core;
using Spiffe.Core;
using Spiffe.Proto.Spire.Server.Agent.V1;
using Spiffe.Proto.Spire.Server.Entry.V1;
using Spiffe.Proto.Spire.Types;
using Spiffe.Server.Config;
using Spiffe.Server.DataStore;
using Spiffe.Server.Tests.Infrastructure;
using AgentClient = Spiffe.Proto.Spire.Server.Agent.V1.Agent.AgentClient;
using EntryClient = Spiffe.Proto.Spire.Server.Entry.V1.Entry.EntryClient;
using Reason = Spiffe.Proto.Spire.Types.PermissionDeniedDetails.Types.Reason;

namespace Spiffe.Server.Tests.AgentFacing;

[TestFixture]
public sealed class AttestAgentX509PopTests
{
    private TempDirectory _files = null!;
    private PopCa _agentCa = null!;
    private DateTimeOffset _now;

    [SetUp]
    public void SetUp()
    {
        _files = new TempDirectory();
        _now = TimeProvider.System.GetUtcNow();
        _agentCa = PopCa.CreateRoot("agent-ca", _now);
    }

    [TearDown]
    public void TearDown() => _files.Dispose();

    [Test]
    public async Task AttestAgent_EcLeafFromTrustedCa_IssuesReattestableSvidWithSelectors()
    {
        // Arrange
        await using var server = await StartAsync();
        var (leaf, key) = _agentCa.IssueLeaf("node-1", _now);
        var agent = new TestAgent(server, await server.GetTrustAnchorsAsync());

        // Act
        await agent.AttestX509PopAsync([leaf], key);

        // Assert
        var fingerprint = Convert.ToHexStringLower(leaf.GetCertHash());
        var caFingerprint = Convert.ToHexStringLower(_agentCa.Certificate.GetCertHash());
        var expectedId = SpiffeId.Parse("spiffe://example.org/spire/agent/x509pop/" + fingerprint);
        var stored = await server.DataStore.GetAttestedAgentAsync(expectedId, CancellationToken.None).DefaultTimeout();
        Assert.Multiple(() =>
        {
            Assert.That(agent.Id, Is.EqualTo(expectedId));
            Assert.That(agent.Reattestable, Is.True);
            Assert.That(stored!.CanReattest, Is.True);
            Assert.That(stored.AttestationType, Is.EqualTo("x509pop"));
            Assert.That(stored.Selectors.Select(s => s.ToString()), Is.EquivalentTo(new[]
            {
                "x509pop:subject:cn:node-1",
                "x509pop:ca:fingerprint:" + caFingerprint,
                "x509pop:serialnumber:" + Convert.ToHexStringLower(leaf.SerialNumberBytes.Span),
            }));
        });
    }

    [Test]
    public async Task AttestAgent_RsaLeafWithIntermediate_Attests()
    {
        // Arrange
        await using var server = await StartAsync();
        var intermediate = _agentCa.IssueIntermediate("agent-intermediate", _now);
        var (leaf, key) = intermediate.IssueLeaf("node-rsa", _now, rsa: true);
        var agent = new TestAgent(server, await server.GetTrustAnchorsAsync());

        // Act
        await agent.AttestX509PopAsync([leaf, intermediate.Certificate], key);

        // Assert
        var stored = await server.DataStore.GetAttestedAgentAsync(agent.Id, CancellationToken.None).DefaultTimeout();
        Assert.That(stored!.Selectors.Count(s => s.Value.StartsWith("ca:fingerprint:", StringComparison.Ordinal)), Is.EqualTo(2));
    }

    [Test]
    public async Task AttestAgent_LeafFromUntrustedCa_FailsPermissionDeniedAndStoresNothing()
    {
        // Arrange
        await using var server = await StartAsync();
        var (leaf, key) = PopCa.CreateRoot("other-ca", _now).IssueLeaf("node-x", _now);
        var agent = new TestAgent(server, await server.GetTrustAnchorsAsync());

        // Act
        var ex = Assert.ThrowsAsync<RpcException>(() => agent.AttestX509PopAsync([leaf], key));

        // Assert
        Assert.That(ex!.StatusCode, Is.EqualTo(StatusCode.PermissionDenied));
        Assert.That(ex.Status.Detail, Does.StartWith("failed to attest: certificate verification failed"));
        Assert.That(await server.DataStore.CountAttestedAgentsAsync(AgentFilter.All, CancellationToken.None).DefaultTimeout(), Is.Zero);
    }

    [Test]
    public async Task AttestAgent_LeafWithoutDigitalSignature_FailsInvalidArgument()
    {
        // Arrange
        await using var server = await StartAsync();
        var (leaf, key) = _agentCa.IssueLeaf("node-ke", _now, usage: X509KeyUsageFlags.KeyEncipherment);
        var agent = new TestAgent(server, await server.GetTrustAnchorsAsync());

        // Act
        var ex = Assert.ThrowsAsync<RpcException>(() => agent.AttestX509PopAsync([leaf], key));

        // Assert
        Assert.That(ex!.StatusCode, Is.EqualTo(StatusCode.InvalidArgument));
        Assert.That(ex.Status.Detail, Does.Contain("digitalSignature"));
    }

    [Test]
    public async Task AttestAgent_ChallengeSignedWithOtherKey_FailsPermissionDeniedAndStoresNothing()
    {
        // Arrange
        await using var server = await StartAsync();
        var (leaf, _) = _agentCa.IssueLeaf("node-2", _now);
        using var wrongKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var agent = new TestAgent(server, await server.GetTrustAnchorsAsync());

        // Act
        var ex = Assert.ThrowsAsync<RpcException>(() => agent.AttestX509PopAsync([leaf], wrongKey));

        // Assert
        Assert.That(ex!.StatusCode, Is.EqualTo(StatusCode.PermissionDenied));
        Assert.That(ex.Status.Detail, Is.EqualTo("failed to attest: challenge response signature does not verify"));
        Assert.That(await server.DataStore.CountAttestedAgentsAsync(AgentFilter.All, CancellationToken.None).DefaultTimeout(), Is.Zero);
    }

    [Test]
    public async Task AttestAgent_ChallengeFormat_IsSpireJsonWithNullOtherMember()
    {
        // Arrange
        await using var server = await StartAsync();
        var (leaf, _) = _agentCa.IssueLeaf("node-3", _now);
        using var channel = server.CreateAgentChannel(await server.GetTrustAnchorsAsync());
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var call = new AgentClient(channel).AttestAgent();

        // Act
        await call.RequestStream.WriteAsync(new AttestAgentRequest
        {
            Params = new AttestAgentRequest.Types.Params
            {
                Data = new AttestationData { Type = "x509pop", Payload = ByteString.CopyFrom(TestAgent.X509PopPayload([leaf])) },
                Params_ = new AgentX509SVIDParams { Csr = ByteString.CopyFrom(TestAgent.CreateCsr(key)) },
            },
        }).DefaultTimeout();
        await call.ResponseStream.MoveNext(CancellationToken.None).DefaultTimeout();
        var challenge = call.ResponseStream.Current.Challenge.ToStringUtf8();

        // Assert
        Assert.That(challenge, Does.Match("^\\{\"rsa_signature\":null,\"ecdsa_signature\":\\{\"nonce\":\"[A-Za-z0-9+/]{43}=\"\\}\\}$"));
    }

    [Test]
    public async Task AttestAgent_Reattestation_MakesNewSerialCurrentAndOldSvidNotActive()
    {
        // Arrange
        await using var server = await StartAsync();
        var (leaf, key) = _agentCa.IssueLeaf("node-4", _now);
        var anchors = await server.GetTrustAnchorsAsync();
        var agent = new TestAgent(server, anchors);
        await agent.AttestX509PopAsync([leaf], key);
        var oldSvid = agent.Svid!;

        // Act
        await agent.AttestX509PopAsync([leaf], key);
        using var oldChannel = agent.CreateChannel(oldSvid);
        var ex = Assert.ThrowsAsync<RpcException>(() => new EntryClient(oldChannel).GetAuthorizedEntriesAsync(new GetAuthorizedEntriesRequest()).ResponseAsync.DefaultTimeout());
        using var newChannel = agent.CreateChannel();
        var fresh = await new EntryClient(newChannel).GetAuthorizedEntriesAsync(new GetAuthorizedEntriesRequest()).ResponseAsync.DefaultTimeout();

        // Assert
        Assert.That(ex!.StatusCode, Is.EqualTo(StatusCode.PermissionDenied));
        Assert.That(GrpcAssert.DeniedReason(ex), Is.EqualTo(Reason.AgentNotActive));
        Assert.That(fresh.Entries, Is.Empty);
    }

    [Test]
    public async Task RenewAgent_ReattestableAgent_FailsAgentMustReattest()
    {
        // Arrange
        await using var server = await StartAsync();
        var (leaf, key) = _agentCa.IssueLeaf("node-5", _now);
        var agent = new TestAgent(server, await server.GetTrustAnchorsAsync());
        await agent.AttestX509PopAsync([leaf], key);

        // Act
        var ex = Assert.ThrowsAsync<RpcException>(agent.RenewAsync);

        // Assert
        Assert.That(ex!.StatusCode, Is.EqualTo(StatusCode.PermissionDenied));
        Assert.That(GrpcAssert.DeniedReason(ex), Is.EqualTo(Reason.AgentMustReattest));
    }

    [Test]
    public async Task AttestAgent_BannedAgent_FailsAgentBanned()
    {
        // Arrange
        await using var server = await StartAsync();
        var (leaf, key) = _agentCa.IssueLeaf("node-6", _now);
        var agent = new TestAgent(server, await server.GetTrustAnchorsAsync());
        await agent.AttestX509PopAsync([leaf], key);
        var stored = await server.DataStore.GetAttestedAgentAsync(agent.Id, CancellationToken.None).DefaultTimeout();
        await server.DataStore.UpdateAttestedAgentAsync(stored! with { Banned = true }, CancellationToken.None).DefaultTimeout();

        // Act
        var ex = Assert.ThrowsAsync<RpcException>(() => agent.AttestX509PopAsync([leaf], key));

        // Assert
        Assert.That(ex!.StatusCode, Is.EqualTo(StatusCode.PermissionDenied));
        Assert.That(GrpcAssert.DeniedReason(ex), Is.EqualTo(Reason.AgentBanned));
    }

    [Test]
    public async Task AttestAgent_NodeAliasSelectors_AuthorizeEntriesBelowTheAlias()
    {
        // Arrange
        await using var server = await StartAsync();
        var (leaf, key) = _agentCa.IssueLeaf("node-7", _now);
        var caFingerprint = Convert.ToHexStringLower(_agentCa.Certificate.GetCertHash());
        var alias = SpiffeId.Parse("spiffe://example.org/cluster/a");
        await server.CreateEntryAsync(alias, server.ServerId, "x509pop:ca:fingerprint:" + caFingerprint);
        var workload = await server.CreateEntryAsync(SpiffeId.Parse("spiffe://example.org/web"), alias, "unix:uid:1000");
        var agent = new TestAgent(server, await server.GetTrustAnchorsAsync());
        await agent.AttestX509PopAsync([leaf], key);
        using var channel = agent.CreateChannel();

        // Act
        var response = await new EntryClient(channel).GetAuthorizedEntriesAsync(new GetAuthorizedEntriesRequest()).ResponseAsync.DefaultTimeout();

        // Assert
        Assert.That(response.Entries.Select(e => e.Id), Is.EqualTo(new[] { workload.Id }));
    }

    private async Task<TestServer> StartAsync()
    {
        var caPath = _agentCa.WritePem(_files.File("agent-ca.pem"));
        return await TestServer.StartAsync(c => c with { X509Pop = new X509PopConfig([caPath], null) });
    }
}
