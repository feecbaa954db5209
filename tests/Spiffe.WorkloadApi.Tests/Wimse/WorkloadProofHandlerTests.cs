using System.Net.Http.Headers;
using Spiffe.Core;
using Spiffe.Testing;

namespace Spiffe.WorkloadApi.Tests.Wimse;

[TestFixture]
public sealed class WorkloadProofHandlerTests
{
    private static readonly TrustDomain Td = TrustDomain.Parse("example.org");
    private static readonly SpiffeId Caller = SpiffeId.Parse("spiffe://example.org/agent/task-1");

    private TestWitIssuer issuer = null!;
    private TestWit wit = null!;
    private RecordingHandler inner = null!;
    private RecordingProofProvider provider = null!;
    private HttpClient http = null!;

    private static DateTimeOffset Now => TimeProvider.System.GetUtcNow();

    [SetUp]
    public void CreateClient()
    {
        this.issuer = new TestWitIssuer(Td);
        this.wit = this.issuer.Issue(Caller, Now);
        this.inner = new RecordingHandler();
        this.provider = new RecordingProofProvider(new LocalWorkloadProofProvider(WitSvid.ParseInsecure(this.wit.Token, Now), this.wit.Key));
        this.http = new HttpClient(new WorkloadProofHandler(this.provider, ["X-User-Context"]) { InnerHandler = this.inner });
    }

    [TearDown]
    public void DisposeClient()
    {
        this.http.Dispose();
        this.inner.Dispose();
        this.wit.Key.Dispose();
    }

    [Test]
    public async Task SendAsync_Request_SetsWitAndProofForTargetUriWithoutQuery()
    {
        // Act
        using var response = await this.http.GetAsync(new Uri("https://tool.example/items/42?page=2#top")).DefaultTimeout();

        // Assert
        var (uri, headers) = this.inner.Requests.Single();
        var result = this.Verifier().Verify(
            headers[WorkloadProofToken.WitHeaderName].Single(),
            headers[WorkloadProofToken.HeaderName].Single(),
            new WorkloadProofContext { Audience = "https://tool.example/items/42" },
            Now);
        Assert.Multiple(() =>
        {
            Assert.That(uri.Query, Is.EqualTo("?page=2"));
            Assert.That(headers[WorkloadProofToken.WitHeaderName], Is.EqualTo(new[] { this.wit.Token }));
            Assert.That(result.Id, Is.EqualTo(Caller));
            Assert.That(headers.ContainsKey("Authorization"), Is.False);
        });
    }

    [Test]
    public async Task SendAsync_TwoRequests_FreshJtiEach()
    {
        // Act
        using var first = await this.http.GetAsync(new Uri("https://tool.example/items")).DefaultTimeout();
        using var second = await this.http.GetAsync(new Uri("https://tool.example/items")).DefaultTimeout();

        // Assert
        var verifier = this.Verifier();
        var context = new WorkloadProofContext { Audience = "https://tool.example/items" };
        var jtis = this.inner.Requests
            .Select(r => verifier.Verify(r.Headers[WorkloadProofToken.WitHeaderName].Single(), r.Headers[WorkloadProofToken.HeaderName].Single(), context, Now).ProofJti)
            .ToList();
        Assert.That(jtis, Has.Count.EqualTo(2));
        Assert.That(jtis, Is.Unique);
    }

    [Test]
    public async Task SendAsync_UserInfoUpperCaseHostAndDefaultPort_ProviderGetsNormalizedTargetAndMethod()
    {
        // Act
        using var response = await this.http.PostAsync(new Uri("https://user:pw@Tool.Example:443/a%20b/c?x=1"), new StringContent("{}")).DefaultTimeout();

        // Assert
        var request = this.provider.Requests.Single();
        Assert.That(request.TargetUri, Is.EqualTo("https://tool.example/a%20b/c"));
        Assert.That(request.Method, Is.EqualTo("POST"));
    }

    [Test]
    public async Task SendAsync_NonDefaultPort_KeptInTargetUri()
    {
        // Act
        using var response = await this.http.GetAsync(new Uri("http://tool.example:8080/")).DefaultTimeout();

        // Assert
        Assert.That(this.provider.Requests.Single().TargetUri, Is.EqualTo("http://tool.example:8080/"));
    }

    [Test]
    public async Task SendAsync_ContextTokens_BoundAsAthTthAndOth()
    {
        // Arrange
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("https://tool.example/items"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "access-1");
        request.Headers.Add("Txn-Token", "txn-1");
        request.Headers.Add("X-User-Context", "user-1");
        request.Headers.Add("X-Unbound", "ignored");

        // Act
        using var response = await this.http.SendAsync(request).DefaultTimeout();

        // Assert
        var (_, headers) = this.inner.Requests.Single();
        var context = new WorkloadProofContext
        {
            Audience = "https://tool.example/items",
            AccessToken = "access-1",
            TransactionToken = "txn-1",
            OtherTokens = new Dictionary<string, string> { ["x-user-context"] = "user-1" },
        };
        var result = this.Verifier().Verify(headers[WorkloadProofToken.WitHeaderName].Single(), headers[WorkloadProofToken.HeaderName].Single(), context, Now);
        Assert.That(result.Id, Is.EqualTo(Caller));
        Assert.That(headers["Authorization"], Is.EqualTo(new[] { "Bearer access-1" }));
    }

    [Test]
    public async Task SendAsync_StaleWitHeaders_Replaced()
    {
        // Arrange
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("https://tool.example/items"));
        request.Headers.TryAddWithoutValidation(WorkloadProofToken.WitHeaderName, "stale.wit.token");
        request.Headers.TryAddWithoutValidation(WorkloadProofToken.HeaderName, "stale.proof.token");

        // Act
        using var response = await this.http.SendAsync(request).DefaultTimeout();

        // Assert
        var (_, headers) = this.inner.Requests.Single();
        Assert.That(headers[WorkloadProofToken.WitHeaderName], Is.EqualTo(new[] { this.wit.Token }));
        Assert.That(headers[WorkloadProofToken.HeaderName].Single(), Is.Not.EqualTo("stale.proof.token"));
    }

    [Test]
    public void SendAsync_DuplicateTxnToken_ThrowsBeforeSending()
    {
        // Arrange
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("https://tool.example/items"));
        request.Headers.Add("Txn-Token", ["t1", "t2"]);

        // Act
        var ex = Assert.ThrowsAsync<InvalidOperationException>(() => this.http.SendAsync(request).DefaultTimeout());

        // Assert
        Assert.That(ex.Message, Does.Contain("\"Txn-Token\""));
        Assert.That(this.inner.Requests, Is.Empty);
    }

    private WorkloadProofVerifier Verifier() => new(this.issuer.CreateWitBundle(), new InMemoryWptReplayCache());
}
