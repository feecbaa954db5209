using Grpc.Core;
using Spiffe.Core;
using Spiffe.WorkloadApi.Proto;
using Spiffe.WorkloadApi.Tests.Infrastructure;
using static Spiffe.WorkloadApi.Tests.Infrastructure.TestIdentities;

namespace Spiffe.WorkloadApi.Tests.Client;

[TestFixture]
public sealed class WorkloadApiClientTests
{
    private FakeWorkloadApi fake = null!;
    private WorkloadApiClient client = null!;

    [SetUp]
    public async Task StartAsync()
    {
        this.fake = await FakeWorkloadApi.StartAsync();
        this.client = WorkloadApiClient.Create(new WorkloadApiClientOptions { Address = this.fake.Address });
    }

    [TearDown]
    public async Task StopAsync()
    {
        await this.client.DisposeAsync();
        var rejected = this.fake.RejectedCalls;
        await this.fake.DisposeAsync();
        Assert.That(rejected, Is.Zero, "calls without the workload.spiffe.io header");
    }

    [Test]
    public async Task FetchX509SvidAsync_TwoSvids_ReturnsFirst()
    {
        // Arrange
        var web = Ca.IssueX509Svid(Web);
        this.fake.X509Svids.Set(Messages.X509SvidResponse(Messages.X509Svid(Web, web, Ca), Messages.X509Svid(Db, Ca.IssueX509Svid(Db), Ca)));

        // Act
        var svid = await this.client.FetchX509SvidAsync().DefaultTimeout();

        // Assert
        Assert.That(svid.Id, Is.EqualTo(Web));
        Assert.That(svid.Certificates[0].RawData, Is.EqualTo(web.Leaf.RawData));
    }

    [Test]
    public async Task FetchX509SvidsAsync_RepeatedHint_KeepsFirstOfEachHint()
    {
        // Arrange
        this.fake.X509Svids.Set(Messages.X509SvidResponse(
            Messages.X509Svid(Web, Ca.IssueX509Svid(Web), Ca, "internal"),
            Messages.X509Svid(Db, Ca.IssueX509Svid(Db), Ca, "internal"),
            Messages.X509Svid(Db, Ca.IssueX509Svid(Db), Ca, "external")));

        // Act
        var svids = await this.client.FetchX509SvidsAsync().DefaultTimeout();

        // Assert
        Assert.That(svids.Select(s => (s.Id, s.Hint)), Is.EqualTo(new[] { (Web, "internal"), (Db, "external") }));
    }

    [Test]
    public async Task FetchX509ContextAsync_FederatedBundles_ReturnsSvidsAndAllBundles()
    {
        // Arrange
        var response = Messages.X509SvidResponse(Messages.X509Svid(Web, Ca.IssueX509Svid(Web), Ca));
        response.FederatedBundles.Add(FederatedDomain.IdString, Google.Protobuf.ByteString.CopyFrom(FederatedCa.RootCertificate.RawData));
        this.fake.X509Svids.Set(response);

        // Act
        var context = await this.client.FetchX509ContextAsync().DefaultTimeout();

        // Assert
        Assert.That(context.DefaultSvid.Id, Is.EqualTo(Web));
        Assert.That(context.Bundles.Bundles.Select(b => b.TrustDomain), Is.EquivalentTo(new[] { Domain, FederatedDomain }));
        Assert.That(context.Bundles.GetX509BundleForTrustDomain(FederatedDomain).X509Authorities[0].RawData, Is.EqualTo(FederatedCa.RootCertificate.RawData));
    }

    [Test]
    public void FetchX509SvidAsync_EmptySvidList_ThrowsInvalidResponse()
    {
        // Arrange
        this.fake.X509Svids.Set(new X509SVIDResponse());

        // Act
        var exception = Assert.ThrowsAsync<WorkloadApiException>(() => this.client.FetchX509SvidAsync().DefaultTimeout());

        // Assert
        Assert.That(exception.Message, Does.Contain("holds no SVIDs"));
        Assert.That(exception.StatusCode, Is.Null);
    }

    [Test]
    public void FetchX509SvidAsync_KeyDoesNotMatchCertificate_ThrowsNamingTheRule()
    {
        // Arrange
        var svid = Messages.X509Svid(Web, Ca.IssueX509Svid(Web), Ca);
        svid.X509SvidKey = Google.Protobuf.ByteString.CopyFrom(Ca.IssueX509Svid(Web).PrivateKeyPkcs8);
        this.fake.X509Svids.Set(Messages.X509SvidResponse(svid));

        // Act
        var exception = Assert.ThrowsAsync<WorkloadApiException>(() => this.client.FetchX509SvidAsync().DefaultTimeout());

        // Assert
        Assert.That(exception.Message, Does.Contain("private key does not match"));
        Assert.That(exception.InnerException, Is.TypeOf<X509SvidException>());
    }

    [Test]
    public void FetchX509SvidAsync_SpiffeIdFieldDiffersFromCertificate_Throws()
    {
        // Arrange
        this.fake.X509Svids.Set(Messages.X509SvidResponse(Messages.X509Svid(Db, Ca.IssueX509Svid(Web), Ca)));

        // Act
        var exception = Assert.ThrowsAsync<WorkloadApiException>(() => this.client.FetchX509SvidAsync().DefaultTimeout());

        // Assert
        Assert.That(exception.Message, Does.Contain("differs from the certificate's ID"));
    }

    [Test]
    public void FetchX509SvidAsync_PermissionDenied_ThrowsWithStatus()
    {
        // Arrange
        this.fake.X509Svids.Fail(StatusCode.PermissionDenied, "no identity issued");

        // Act
        var exception = Assert.ThrowsAsync<WorkloadApiException>(() => this.client.FetchX509SvidAsync().DefaultTimeout());

        // Assert
        Assert.That(exception.StatusCode, Is.EqualTo(StatusCode.PermissionDenied));
        Assert.That(exception.Message, Does.Contain("no identity issued"));
    }

    [Test]
    public async Task FetchX509SvidAsync_SocketMissing_ThrowsUnavailable()
    {
        // Arrange
        await using var orphan = WorkloadApiClient.Create(new WorkloadApiClientOptions { Address = this.fake.Address + ".missing" });

        // Act
        var exception = Assert.ThrowsAsync<WorkloadApiException>(() => orphan.FetchX509SvidAsync().DefaultTimeout());

        // Assert
        Assert.That(exception.StatusCode, Is.EqualTo(StatusCode.Unavailable));
    }

    [Test]
    public async Task FetchX509SvidAsync_TcpEndpoint_UsesHttp2WithoutTls()
    {
        // Arrange
        await using var tcpFake = await FakeWorkloadApi.StartAsync(tcp: true);
        tcpFake.X509Svids.Set(Messages.X509SvidResponse(Messages.X509Svid(Web, Ca.IssueX509Svid(Web), Ca)));
        await using var tcpClient = WorkloadApiClient.Create(new WorkloadApiClientOptions { Address = tcpFake.Address });

        // Act
        var svid = await tcpClient.FetchX509SvidAsync().DefaultTimeout();

        // Assert
        Assert.That(tcpClient.Address.TcpEndPoint!.Address, Is.EqualTo(System.Net.IPAddress.Loopback));
        Assert.That(svid.Id, Is.EqualTo(Web));
        Assert.That(tcpFake.RejectedCalls, Is.Zero);
    }

    [Test]
    public async Task FetchX509BundlesAsync_TwoTrustDomains_ReturnsBoth()
    {
        // Arrange
        this.fake.X509Bundles.Set(Messages.X509Bundles(Ca, FederatedCa));

        // Act
        var bundles = await this.client.FetchX509BundlesAsync().DefaultTimeout();

        // Assert
        Assert.That(bundles.Bundles.Select(b => b.TrustDomain), Is.EquivalentTo(new[] { Domain, FederatedDomain }));
        Assert.That(bundles.GetX509BundleForTrustDomain(Domain).X509Authorities[0].RawData, Is.EqualTo(Ca.RootCertificate.RawData));
    }

    [Test]
    public void FetchX509BundlesAsync_NoBundles_ThrowsInvalidResponse()
    {
        // Arrange
        this.fake.X509Bundles.Set(new X509BundlesResponse());

        // Act
        var exception = Assert.ThrowsAsync<WorkloadApiException>(() => this.client.FetchX509BundlesAsync().DefaultTimeout());

        // Assert
        Assert.That(exception.Message, Does.Contain("holds no bundles"));
    }

    [Test]
    public async Task FetchJwtBundlesAsync_BareTrustDomainKey_ParsesJwks()
    {
        // Arrange
        var response = new JWTBundlesResponse();
        response.Bundles.Add(Domain.Name, Google.Protobuf.ByteString.CopyFrom(Signer.CreateJwtBundle().Marshal()));
        this.fake.JwtBundles.Set(response);

        // Act
        var bundles = await this.client.FetchJwtBundlesAsync().DefaultTimeout();

        // Assert
        Assert.That(bundles.GetJwtBundleForTrustDomain(Domain).TryGetJwtAuthority("key-1", out _), Is.True);
    }

    [Test]
    public void FetchJwtBundlesAsync_InvalidJwks_ThrowsNamingTheBundle()
    {
        // Arrange
        var response = new JWTBundlesResponse();
        response.Bundles.Add(Domain.IdString, Google.Protobuf.ByteString.CopyFromUtf8("{\"keys\": 1}"));
        this.fake.JwtBundles.Set(response);

        // Act
        var exception = Assert.ThrowsAsync<WorkloadApiException>(() => this.client.FetchJwtBundlesAsync().DefaultTimeout());

        // Assert
        Assert.That(exception.Message, Does.Contain("bundle \"spiffe://example.org\""));
        Assert.That(exception.InnerException, Is.TypeOf<BundleException>());
    }

    [Test]
    public async Task FetchJwtSvidAsync_AudienceAndSubject_SendsRequestAndParsesToken()
    {
        // Arrange
        this.fake.JwtSvidHandler = request => Messages.JwtSvids((Db, Token(Db, [.. request.Audience]), "db"));

        // Act
        var svid = await this.client.FetchJwtSvidAsync("api", ["audit"], Db).DefaultTimeout();

        // Assert
        var request = (JWTSVIDRequest)this.fake.UnaryRequests.Single();
        Assert.That(request.Audience, Is.EqualTo(new[] { "api", "audit" }));
        Assert.That(request.SpiffeId, Is.EqualTo(Db.ToString()));
        Assert.That(svid.Id, Is.EqualTo(Db));
        Assert.That(svid.Audience, Is.EqualTo(new[] { "api", "audit" }));
        Assert.That(svid.Hint, Is.EqualTo("db"));
    }

    [Test]
    public async Task FetchJwtSvidsAsync_NoSubject_ReturnsEverySvidWithEmptyRequestedId()
    {
        // Arrange
        this.fake.JwtSvidHandler = _ => Messages.JwtSvids((Web, Token(Web, "api"), string.Empty), (Db, Token(Db, "api"), string.Empty));

        // Act
        var svids = await this.client.FetchJwtSvidsAsync("api").DefaultTimeout();

        // Assert
        Assert.That(((JWTSVIDRequest)this.fake.UnaryRequests.Single()).SpiffeId, Is.Empty);
        Assert.That(svids.Select(s => s.Id), Is.EqualTo(new[] { Web, Db }));
    }

    [Test]
    public void FetchJwtSvidAsync_TokenMissesRequestedAudience_Throws()
    {
        // Arrange
        this.fake.JwtSvidHandler = _ => Messages.JwtSvids((Web, Token(Web, "other"), string.Empty));

        // Act
        var exception = Assert.ThrowsAsync<WorkloadApiException>(() => this.client.FetchJwtSvidAsync("api").DefaultTimeout());

        // Assert
        Assert.That(exception.Message, Does.Contain("expected audience \"api\""));
    }

    [Test]
    public void FetchJwtSvidAsync_EmptySvidList_Throws()
    {
        // Arrange
        this.fake.JwtSvidHandler = _ => new JWTSVIDResponse();

        // Act
        var exception = Assert.ThrowsAsync<WorkloadApiException>(() => this.client.FetchJwtSvidAsync("api").DefaultTimeout());

        // Assert
        Assert.That(exception.Message, Does.Contain("holds no SVIDs"));
    }

    [Test]
    public void FetchJwtSvidAsync_EmptyAudience_ThrowsArgumentException()
    {
        // Act & Assert
        Assert.ThrowsAsync<ArgumentException>(() => this.client.FetchJwtSvidAsync(string.Empty));
    }

    [Test]
    public async Task ValidateJwtSvidAsync_Accepted_SendsTokenAndReturnsParsedSvid()
    {
        // Arrange
        var token = Token(Web, "api");
        this.fake.ValidateHandler = request => new ValidateJWTSVIDResponse { SpiffeId = Web.ToString() };

        // Act
        var svid = await this.client.ValidateJwtSvidAsync(token, "api").DefaultTimeout();

        // Assert
        var request = (ValidateJWTSVIDRequest)this.fake.UnaryRequests.Single();
        Assert.That(request.Svid, Is.EqualTo(token));
        Assert.That(request.Audience, Is.EqualTo("api"));
        Assert.That(svid.Id, Is.EqualTo(Web));
        Assert.That(svid.Token, Is.EqualTo(token));
    }

    [Test]
    public void ValidateJwtSvidAsync_Rejected_ThrowsInvalidArgument()
    {
        // Arrange
        this.fake.ValidateHandler = _ => throw new RpcException(new Status(StatusCode.InvalidArgument, "token has expired"));

        // Act
        var exception = Assert.ThrowsAsync<WorkloadApiException>(() => this.client.ValidateJwtSvidAsync(Token(Web, "api"), "api").DefaultTimeout());

        // Assert
        Assert.That(exception.StatusCode, Is.EqualTo(StatusCode.InvalidArgument));
    }

    [Test]
    public void ValidateJwtSvidAsync_ResponseNamesAnotherId_Throws()
    {
        // Arrange
        this.fake.ValidateHandler = _ => new ValidateJWTSVIDResponse { SpiffeId = Db.ToString() };

        // Act
        var exception = Assert.ThrowsAsync<WorkloadApiException>(() => this.client.ValidateJwtSvidAsync(Token(Web, "api"), "api").DefaultTimeout());

        // Assert
        Assert.That(exception.Message, Does.Contain("differs from the token's sub"));
    }

    [Test]
    public async Task DisposeAsync_ThenFetch_ThrowsObjectDisposed()
    {
        // Arrange
        await this.client.DisposeAsync();

        // Act & Assert
        Assert.ThrowsAsync<ObjectDisposedException>(() => this.client.FetchX509SvidAsync());
    }

    [Test]
    [NonParallelizable]
    public void Create_NoAddressAndNoEnvironment_ThrowsNamingBothSettings()
    {
        // Arrange
        var saved = Environment.GetEnvironmentVariable(WorkloadApiAddress.EnvironmentVariable);
        Environment.SetEnvironmentVariable(WorkloadApiAddress.EnvironmentVariable, null);
        try
        {
            // Act
            var exception = Assert.Throws<WorkloadApiException>(() => WorkloadApiClient.Create());

            // Assert
            Assert.That(exception.Message, Does.Contain("SPIFFE_ENDPOINT_SOCKET"));
        }
        finally
        {
            Environment.SetEnvironmentVariable(WorkloadApiAddress.EnvironmentVariable, saved);
        }
    }
}
