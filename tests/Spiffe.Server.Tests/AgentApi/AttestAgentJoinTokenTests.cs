using Grpc.Core;
using Spiffe.Core;
using Spiffe.Server.Tests.Infrastructure;

namespace Spiffe.Server.Tests.AgentFacing;

[TestFixture]
public sealed class AttestAgentJoinTokenTests
{
    [Test]
    public async Task AttestAgent_ValidJoinToken_IssuesAgentSvidAndConsumesToken()
    {
        // Arrange
        await using var server = await TestServer.StartAsync();
        var token = await server.CreateJoinTokenAsync();
        var agent = new TestAgent(server, await server.GetTrustAnchorsAsync());

        // Act
        await agent.AttestJoinTokenAsync(token);

        // Assert
        var expectedId = SpiffeId.Parse("spiffe://example.org/spire/agent/join_token/" + token);
        var stored = await server.DataStore.GetAttestedAgentAsync(expectedId, CancellationToken.None).DefaultTimeout();
        var remaining = await server.DataStore.GetJoinTokenAsync(token, CancellationToken.None).DefaultTimeout();
        Assert.Multiple(() =>
        {
            Assert.That(agent.Id, Is.EqualTo(expectedId));
            Assert.That(agent.Reattestable, Is.False);
            Assert.That(stored, Is.Not.Null);
            Assert.That(stored!.AttestationType, Is.EqualTo("join_token"));
            Assert.That(stored.SerialNumber, Is.EqualTo(Spiffe.Server.Ca.SerialNumbers.ToDecimal(agent.Svid!)));
            Assert.That(remaining, Is.Null);
            Assert.That(server.Logs.Records.Any(r => r.Message.Contains(token, StringComparison.Ordinal) && r.EventName != "AgentAttested"), Is.False);
        });
    }

    [Test]
    public async Task AttestAgent_UsedJoinToken_FailsInvalidArgument()
    {
        // Arrange
        await using var server = await TestServer.StartAsync();
        var anchors = await server.GetTrustAnchorsAsync();
        var token = await server.CreateJoinTokenAsync();
        await new TestAgent(server, anchors).AttestJoinTokenAsync(token);

        // Act
        var ex = Assert.ThrowsAsync<RpcException>(() => new TestAgent(server, anchors).AttestJoinTokenAsync(token));

        // Assert
        Assert.That(ex!.StatusCode, Is.EqualTo(StatusCode.InvalidArgument));
        Assert.That(ex.Status.Detail, Does.Contain("does not exist or has already been used"));
    }

    [Test]
    public async Task AttestAgent_UnknownToken_FailsInvalidArgumentWithoutLoggingIt()
    {
        // Arrange
        await using var server = await TestServer.StartAsync();
        var agent = new TestAgent(server, await server.GetTrustAnchorsAsync());
        const string token = "never-issued-token-value";

        // Act
        var ex = Assert.ThrowsAsync<RpcException>(() => agent.AttestJoinTokenAsync(token));

        // Assert
        Assert.That(ex!.StatusCode, Is.EqualTo(StatusCode.InvalidArgument));
        Assert.That(server.Logs.Records.Select(r => r.EventName), Does.Contain("AttestationFailed"));
        Assert.That(server.Logs.Records.Any(r => r.Message.Contains(token, StringComparison.Ordinal)), Is.False);
    }

    [Test]
    public async Task AttestAgent_ExpiredToken_FailsInvalidArgumentAndCreatesNoAgent()
    {
        // Arrange
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(TimeProvider.System.GetUtcNow());
        await using var server = await TestServer.StartAsync(timeProvider: clock);
        var token = await server.CreateJoinTokenAsync(TimeSpan.FromMinutes(1));
        clock.Advance(TimeSpan.FromMinutes(2));
        var agent = new TestAgent(server, await server.GetTrustAnchorsAsync());

        // Act
        var ex = Assert.ThrowsAsync<RpcException>(() => agent.AttestJoinTokenAsync(token));

        // Assert
        Assert.That(ex!.StatusCode, Is.EqualTo(StatusCode.InvalidArgument));
        Assert.That(ex.Status.Detail, Is.EqualTo("failed to attest: join token expired"));
        Assert.That(await server.DataStore.CountAttestedAgentsAsync(DataStore.AgentFilter.All, CancellationToken.None).DefaultTimeout(), Is.Zero);
    }

    [Test]
    public async Task AttestAgent_MalformedCsr_FailsInvalidArgumentAndKeepsTheToken()
    {
        // Arrange
        await using var server = await TestServer.StartAsync();
        var token = await server.CreateJoinTokenAsync();
        using var channel = server.CreateAgentChannel(await server.GetTrustAnchorsAsync());
        using var call = new Proto.Spire.Server.Agent.V1.Agent.AgentClient(channel).AttestAgent();

        // Act
        await call.RequestStream.WriteAsync(new Proto.Spire.Server.Agent.V1.AttestAgentRequest
        {
            Params = new Proto.Spire.Server.Agent.V1.AttestAgentRequest.Types.Params
            {
                Data = new Proto.Spire.Types.AttestationData { Type = "join_token", Payload = Google.Protobuf.ByteString.CopyFromUtf8(token) },
                Params_ = new Proto.Spire.Server.Agent.V1.AgentX509SVIDParams { Csr = Google.Protobuf.ByteString.CopyFrom([1, 2, 3]) },
            },
        }).DefaultTimeout();
        var ex = Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(CancellationToken.None).DefaultTimeout());

        // Assert
        Assert.That(ex!.StatusCode, Is.EqualTo(StatusCode.InvalidArgument));
        Assert.That(ex.Status.Detail, Does.StartWith("malformed CSR"));
        Assert.That(await server.DataStore.GetJoinTokenAsync(token, CancellationToken.None).DefaultTimeout(), Is.Not.Null);
    }

    [TestCase("k8s_psat")]
    [TestCase("x509pop")]
    public async Task AttestAgent_AttestorNotConfigured_FailsFailedPrecondition(string type)
    {
        // Arrange
        await using var server = await TestServer.StartAsync();
        using var channel = server.CreateAgentChannel(await server.GetTrustAnchorsAsync());
        using var key = System.Security.Cryptography.ECDsa.Create();
        using var call = new Proto.Spire.Server.Agent.V1.Agent.AgentClient(channel).AttestAgent();

        // Act
        await call.RequestStream.WriteAsync(new Proto.Spire.Server.Agent.V1.AttestAgentRequest
        {
            Params = new Proto.Spire.Server.Agent.V1.AttestAgentRequest.Types.Params
            {
                Data = new Proto.Spire.Types.AttestationData { Type = type, Payload = Google.Protobuf.ByteString.CopyFromUtf8("{}") },
                Params_ = new Proto.Spire.Server.Agent.V1.AgentX509SVIDParams { Csr = Google.Protobuf.ByteString.CopyFrom(TestAgent.CreateCsr(key)) },
            },
        }).DefaultTimeout();
        var ex = Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(CancellationToken.None).DefaultTimeout());

        // Assert
        Assert.That(ex!.StatusCode, Is.EqualTo(StatusCode.FailedPrecondition));
        Assert.That(ex.Status.Detail, Is.EqualTo($"could not find node attestor type \"{type}\""));
    }

    [Test]
    public async Task AttestAgent_TokenThatIsNotAPathSegment_FailsInvalidArgument()
    {
        // Arrange
        await using var server = await TestServer.StartAsync();
        const string token = "bad/token";
        await server.DataStore.CreateJoinTokenAsync(new DataStore.JoinToken(token, server.Time.GetUtcNow().AddMinutes(5).ToUnixTimeSeconds()), CancellationToken.None).DefaultTimeout();
        var agent = new TestAgent(server, await server.GetTrustAnchorsAsync());

        // Act
        var ex = Assert.ThrowsAsync<RpcException>(() => agent.AttestJoinTokenAsync(token));

        // Assert
        Assert.That(ex!.StatusCode, Is.EqualTo(StatusCode.InvalidArgument));
        Assert.That(await server.DataStore.GetJoinTokenAsync(token, CancellationToken.None).DefaultTimeout(), Is.Not.Null);
    }
}
