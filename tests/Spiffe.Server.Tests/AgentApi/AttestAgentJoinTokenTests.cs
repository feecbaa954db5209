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
}
