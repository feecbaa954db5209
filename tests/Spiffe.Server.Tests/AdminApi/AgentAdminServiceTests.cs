using Grpc.Core;
using Spiffe.Server.Tests.Infrastructure;
using Grpc.Net.Client;
using Spiffe.Proto.Spire.Types;
using AgentApi = Spiffe.Proto.Spire.Server.Agent.V1;
using EntryApi = Spiffe.Proto.Spire.Server.Entry.V1;

namespace Spiffe.Server.Tests.AdminApi;

/// <summary>The Agent admin RPCs (join tokens, list/get/count, evict, ban) over the real admin socket.</summary>
[TestFixture]
public sealed class AgentAdminServiceTests
{
    private TestServer server = null!;
    private GrpcChannel channel = null!;
    private AgentApi.Agent.AgentClient client = null!;

    [OneTimeSetUp]
    public async Task StartServer()
    {
        this.server = await TestServer.StartAsync();
        this.channel = this.server.CreateAdminChannel();
        this.client = new AgentApi.Agent.AgentClient(this.channel);
    }

    [OneTimeTearDown]
    public async Task StopServer()
    {
        this.channel.Dispose();
        await this.server.DisposeAsync();
    }

    [Test]
    public async Task CreateJoinToken_Ttl_StoresTokenExpiringAfterTtl()
    {
        // Arrange
        var before = DateTimeOffset.FromUnixTimeSeconds(TimeProvider.System.GetUtcNow().ToUnixTimeSeconds());

        // Act
        var token = await this.client.CreateJoinTokenAsync(new AgentApi.CreateJoinTokenRequest { Ttl = 600 }).ResponseAsync.DefaultTimeout();

        // Assert
        Assert.That(Guid.TryParse(token.Value, out _), Is.True);
        Assert.That(token.ExpiresAt, Is.InRange(before.ToUnixTimeSeconds() + 600, TimeProvider.System.GetUtcNow().ToUnixTimeSeconds() + 600));
        var stored = await this.server.DataStore.GetJoinTokenAsync(token.Value, CancellationToken.None);
        Assert.That(stored, Is.Not.Null);
        Assert.That(stored!.ExpiresAt, Is.EqualTo(token.ExpiresAt));
    }

    [Test]
    public async Task CreateJoinToken_CustomValue_UsesIt()
    {
        // Act
        var token = await this.client.CreateJoinTokenAsync(new AgentApi.CreateJoinTokenRequest { Ttl = 60, Token = "my-custom-token" }).ResponseAsync.DefaultTimeout();

        // Assert
        Assert.That(token.Value, Is.EqualTo("my-custom-token"));
        Assert.That(await this.server.DataStore.GetJoinTokenAsync("my-custom-token", CancellationToken.None), Is.Not.Null);
    }

    [Test]
    public async Task CreateJoinToken_AgentId_CreatesAliasEntry()
    {
        // Arrange
        var alias = EntryAdminServiceTests.Id("/nodes/alias-one");

        // Act
        var token = await this.client.CreateJoinTokenAsync(new AgentApi.CreateJoinTokenRequest { Ttl = 60, AgentId = alias }).ResponseAsync.DefaultTimeout();

        // Assert
        var entries = await new EntryApi.Entry.EntryClient(this.channel).ListEntriesAsync(new EntryApi.ListEntriesRequest
        {
            Filter = new EntryApi.ListEntriesRequest.Types.Filter { BySpiffeId = alias },
        });
        var entry = entries.Entries.Single();
        var tokenAgentId = "spiffe://example.org/spire/agent/join_token/" + token.Value;
        Assert.That(entry.ParentId.Path, Is.EqualTo("/spire/agent/join_token/" + token.Value));
        Assert.That(entry.Selectors.Single(), Is.EqualTo(new Selector { Type = "spiffe_id", Value = tokenAgentId }));
    }

    [TestCase(0, "", "", "ttl is required, you must provide one")]
    [TestCase(60, "bad/token", "", "invalid token: it must be usable as a SPIFFE ID path segment")]
    [TestCase(60, "", "/spire/agent/reserved", "invalid agent ID: \"spiffe://example.org/spire/agent/reserved\" is not a workload in trust domain \"example.org\"; path is in the reserved namespace")]
    public async Task CreateJoinToken_InvalidRequest_IsInvalidArgumentAndStoresNothing(int ttl, string token, string aliasPath, string expected)
    {
        // Arrange
        var request = new AgentApi.CreateJoinTokenRequest { Ttl = ttl, Token = token };
        if (aliasPath.Length > 0)
        {
            request.AgentId = EntryAdminServiceTests.Id(aliasPath);
        }

        // Act
        var ex = Assert.ThrowsAsync<RpcException>(async () => await this.client.CreateJoinTokenAsync(request).ResponseAsync.DefaultTimeout());

        // Assert
        Assert.That(ex!.StatusCode, Is.EqualTo(StatusCode.InvalidArgument));
        Assert.That(ex.Status.Detail, Does.StartWith(expected));
        if (token.Length > 0)
        {
            Assert.That(await this.server.DataStore.GetJoinTokenAsync(token, CancellationToken.None), Is.Null);
        }
    }

    [Test]
    public async Task AttestedAgent_ListGetCount_ShowTheAgent()
    {
        // Arrange
        var agentId = await this.AttestNewAgentAsync();

        // Act
        var list = await this.client.ListAgentsAsync(new AgentApi.ListAgentsRequest { Filter = new AgentApi.ListAgentsRequest.Types.Filter { ByAttestationType = "join_token" } }).ResponseAsync.DefaultTimeout();
        var agent = await this.client.GetAgentAsync(new AgentApi.GetAgentRequest { Id = agentId }).ResponseAsync.DefaultTimeout();
        var count = await this.client.CountAgentsAsync(new AgentApi.CountAgentsRequest { Filter = new AgentApi.CountAgentsRequest.Types.Filter { ByBanned = false } }).ResponseAsync.DefaultTimeout();

        // Assert
        Assert.That(list.Agents.Select(a => a.Id), Does.Contain(agentId));
        Assert.That(agent.AttestationType, Is.EqualTo("join_token"));
        Assert.That(agent.X509SvidSerialNumber, Is.Not.Empty);
        Assert.That(agent.X509SvidExpiresAt, Is.GreaterThan(TimeProvider.System.GetUtcNow().ToUnixTimeSeconds()));
        Assert.That(agent.Banned, Is.False);
        Assert.That(agent.CanReattest, Is.False);
        Assert.That(count.Count, Is.GreaterThanOrEqualTo(1));
    }

    [Test]
    public async Task GetAgent_OutputMask_ReturnsIdAndMaskedFields()
    {
        // Arrange
        var agentId = await this.AttestNewAgentAsync();

        // Act
        var agent = await this.client.GetAgentAsync(new AgentApi.GetAgentRequest { Id = agentId, OutputMask = new AgentMask { AttestationType = true } }).ResponseAsync.DefaultTimeout();

        // Assert
        Assert.That(agent.Id, Is.EqualTo(agentId));
        Assert.That(agent.AttestationType, Is.EqualTo("join_token"));
        Assert.That(agent.X509SvidSerialNumber, Is.Empty);
        Assert.That(agent.X509SvidExpiresAt, Is.Zero);
    }

    [Test]
    public async Task DeleteAgent_Attested_AgentIsGone()
    {
        // Arrange
        var agentId = await this.AttestNewAgentAsync();

        // Act
        await this.client.DeleteAgentAsync(new AgentApi.DeleteAgentRequest { Id = agentId }).ResponseAsync.DefaultTimeout();

        // Assert
        var ex = Assert.ThrowsAsync<RpcException>(async () => await this.client.GetAgentAsync(new AgentApi.GetAgentRequest { Id = agentId }).ResponseAsync.DefaultTimeout());
        Assert.That(ex!.StatusCode, Is.EqualTo(StatusCode.NotFound));
        Assert.That(ex.Status.Detail, Is.EqualTo("agent not found"));
    }

    [Test]
    public async Task BanAgent_Attested_AgentIsBannedWithoutSerial()
    {
        // Arrange
        var agentId = await this.AttestNewAgentAsync();

        // Act
        await this.client.BanAgentAsync(new AgentApi.BanAgentRequest { Id = agentId }).ResponseAsync.DefaultTimeout();

        // Assert
        var agent = await this.client.GetAgentAsync(new AgentApi.GetAgentRequest { Id = agentId }).ResponseAsync.DefaultTimeout();
        Assert.That(agent.Banned, Is.True);
        Assert.That(agent.X509SvidSerialNumber, Is.Empty);
        var banned = await this.client.ListAgentsAsync(new AgentApi.ListAgentsRequest { Filter = new AgentApi.ListAgentsRequest.Types.Filter { ByBanned = true } }).ResponseAsync.DefaultTimeout();
        Assert.That(banned.Agents.Select(a => a.Id), Does.Contain(agentId));
    }

    [Test]
    public void DeleteAgent_NotAnAgentId_IsInvalidArgument()
    {
        // Act
        var ex = Assert.ThrowsAsync<RpcException>(async () => await this.client.DeleteAgentAsync(new AgentApi.DeleteAgentRequest { Id = EntryAdminServiceTests.Id("/workload") }).ResponseAsync.DefaultTimeout());

        // Assert
        Assert.That(ex!.StatusCode, Is.EqualTo(StatusCode.InvalidArgument));
        Assert.That(ex.Status.Detail, Is.EqualTo("invalid agent ID: \"spiffe://example.org/workload\" is not an agent in trust domain \"example.org\"; path is not in the agent namespace"));
    }

    [Test]
    public void ListAgents_MalformedExpiresBefore_IsInvalidArgument()
    {
        // Arrange
        var request = new AgentApi.ListAgentsRequest { Filter = new AgentApi.ListAgentsRequest.Types.Filter { ByExpiresBefore = "soon" } };

        // Act
        var ex = Assert.ThrowsAsync<RpcException>(async () => await this.client.ListAgentsAsync(request).ResponseAsync.DefaultTimeout());

        // Assert
        Assert.That(ex!.StatusCode, Is.EqualTo(StatusCode.InvalidArgument));
        Assert.That(ex.Status.Detail, Does.StartWith("malformed expires before filter"));
    }

    private async Task<SPIFFEID> AttestNewAgentAsync()
    {
        var token = await this.client.CreateJoinTokenAsync(new AgentApi.CreateJoinTokenRequest { Ttl = 600 }).ResponseAsync.DefaultTimeout();
        var agent = new TestAgent(this.server, await this.server.GetTrustAnchorsAsync());
        await agent.AttestJoinTokenAsync(token.Value);
        Assert.That(agent.Id.ToString(), Is.EqualTo("spiffe://example.org/spire/agent/join_token/" + token.Value));
        return new SPIFFEID { TrustDomain = EntryAdminServiceTests.TrustDomain, Path = "/spire/agent/join_token/" + token.Value };
    }
}
