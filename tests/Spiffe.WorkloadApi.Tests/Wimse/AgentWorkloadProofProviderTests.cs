using Grpc.Core;
using Spiffe.Core;
using Spiffe.Proto.Agent.Proof.V1;
using Spiffe.WorkloadApi.Tests.Infrastructure;

namespace Spiffe.WorkloadApi.Tests.Wimse;

[TestFixture]
public sealed class AgentWorkloadProofProviderTests
{
    private const string Target = "https://tool.example/items";

    private FakeWitAgent agent = null!;
    private WorkloadApiClient client = null!;

    [SetUp]
    public async Task StartAsync()
    {
        this.agent = await FakeWitAgent.StartAsync();
        this.client = WorkloadApiClient.Create(new WorkloadApiClientOptions { Address = this.agent.Address });
    }

    [TearDown]
    public async Task StopAsync()
    {
        await this.client.DisposeAsync();
        var rejected = this.agent.RejectedCalls;
        await this.agent.DisposeAsync();
        Assert.That(rejected, Is.Zero, "calls without the workload.spiffe.io header");
    }

    [Test]
    public async Task CreateProofAsync_Request_EveryFieldSentToTheOracle()
    {
        // Arrange
        var provider = new AgentWorkloadProofProvider(this.client) { Subject = TestIdentities.Web, Lifetime = TimeSpan.FromSeconds(30) };
        var request = new WorkloadProofRequest
        {
            TargetUri = Target,
            Method = "POST",
            AccessToken = "access",
            TransactionToken = "txn",
            OtherTokens = new Dictionary<string, string> { ["X-User-Context"] = "user" },
        };

        // Act
        await provider.CreateProofAsync(request, CancellationToken.None).DefaultTimeout();

        // Assert
        var sent = this.agent.ProofRequests.Single();
        Assert.That(
            (sent.TargetUri, sent.Method, sent.SpiffeId, sent.AccessToken, sent.TxnToken, sent.LifetimeSeconds),
            Is.EqualTo((Target, "POST", "spiffe://example.org/web", "access", "txn", 30u)));
        Assert.That(sent.OtherTokens, Is.EquivalentTo(new Dictionary<string, string> { ["X-User-Context"] = "user" }));
    }

    [Test]
    public async Task CreateProofAsync_Defaults_AgentChoosesIdentityAndLifetime()
    {
        // Arrange
        var provider = new AgentWorkloadProofProvider(this.client);

        // Act
        var proof = await provider.CreateProofAsync(new WorkloadProofRequest { TargetUri = Target, Method = "GET" }, CancellationToken.None).DefaultTimeout();

        // Assert
        var sent = this.agent.ProofRequests.Single();
        Assert.That((sent.SpiffeId, sent.LifetimeSeconds, sent.AccessToken, sent.TxnToken), Is.EqualTo((string.Empty, 0u, string.Empty, string.Empty)));
        Assert.That(proof.Wit, Is.EqualTo(this.agent.Wit.Token));
        Assert.That(proof.SpiffeId, Is.EqualTo(TestIdentities.Web));
    }

    [Test]
    public async Task CreateProofAsync_ThroughTheHandler_RequestCarriesAWitAndAProofTheVerifierAccepts()
    {
        // Arrange
        var recorder = new RecordingHandler();
        using var http = new HttpClient(new WorkloadProofHandler(new AgentWorkloadProofProvider(this.client)) { InnerHandler = recorder });
        using var message = new HttpRequestMessage(HttpMethod.Get, Target + "?page=2");
        message.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "access");

        // Act
        using var response = await http.SendAsync(message).DefaultTimeout();

        // Assert
        var headers = recorder.Requests.Single().Headers;
        var verifier = new WorkloadProofVerifier(this.agent.Issuer.CreateWitBundle(), new InMemoryWptReplayCache());
        var result = verifier.Verify(
            headers[WorkloadProofToken.WitHeaderName].Single(),
            headers[WorkloadProofToken.HeaderName].Single(),
            new WorkloadProofContext { Audience = Target, AccessToken = "access" },
            TimeProvider.System.GetUtcNow());
        Assert.That(result.Id, Is.EqualTo(TestIdentities.Web));
        Assert.That(this.agent.ProofRequests.Single().Method, Is.EqualTo("GET"));
    }

    [Test]
    public void CreateProofAsync_OracleRefuses_WorkloadApiExceptionWithTheStatus()
    {
        // Arrange
        this.agent.ProofHandler = _ => throw new RpcException(new Status(StatusCode.PermissionDenied, "no identity issued"));
        var provider = new AgentWorkloadProofProvider(this.client);

        // Act
        var ex = Assert.ThrowsAsync<WorkloadApiException>(() =>
            provider.CreateProofAsync(new WorkloadProofRequest { TargetUri = Target, Method = "GET" }, CancellationToken.None).DefaultTimeout());

        // Assert
        Assert.That(ex!.StatusCode, Is.EqualTo(StatusCode.PermissionDenied));
        Assert.That(ex.Message, Does.Contain("no identity issued"));
    }

    [Test]
    public void CreateProofAsync_ResponseWithoutProof_WorkloadApiException()
    {
        // Arrange
        this.agent.ProofHandler = _ => new CreateProofResponse { Wit = this.agent.Wit.Token, SpiffeId = "spiffe://example.org/web" };
        var provider = new AgentWorkloadProofProvider(this.client);

        // Act
        var ex = Assert.ThrowsAsync<WorkloadApiException>(() =>
            provider.CreateProofAsync(new WorkloadProofRequest { TargetUri = Target, Method = "GET" }, CancellationToken.None).DefaultTimeout());

        // Assert
        Assert.That(ex!.Message, Does.StartWith("invalid CreateProof response"));
    }

    [Test]
    public void CreateProofAsync_OracleProvedAnotherIdentity_WorkloadApiException()
    {
        // Arrange
        var provider = new AgentWorkloadProofProvider(this.client) { Subject = TestIdentities.Db };

        // Act
        var ex = Assert.ThrowsAsync<WorkloadApiException>(() =>
            provider.CreateProofAsync(new WorkloadProofRequest { TargetUri = Target, Method = "GET" }, CancellationToken.None).DefaultTimeout());

        // Assert
        Assert.That(ex!.Message, Does.Contain("not the requested spiffe://example.org/db"));
    }

    [TestCase(0.5)]
    [TestCase(301)]
    public void Lifetime_OutOfRange_Throws(double seconds)
    {
        // Act
        TestDelegate act = () => _ = new AgentWorkloadProofProvider(this.client) { Lifetime = TimeSpan.FromSeconds(seconds) };

        // Assert
        Assert.That(act, Throws.TypeOf<ArgumentOutOfRangeException>());
    }
}
