using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Spiffe.Server.Tests.Infrastructure;
using AgentApi = Spiffe.Proto.Spire.Server.Agent.V1;
using BundleApi = Spiffe.Proto.Spire.Server.Bundle.V1;
using EntryApi = Spiffe.Proto.Spire.Server.Entry.V1;
using SvidApi = Spiffe.Proto.Spire.Server.Svid.V1;

namespace Spiffe.Server.Tests.AdminApi;

/// <summary>
/// The admin RPCs on the agent-facing TLS listener: callers whose SVID belongs to an <c>admin</c> entry may use them;
/// agents and other workloads are refused; agent RPCs on the same listener keep working.
/// </summary>
[TestFixture]
public sealed class AdminOverTlsTests
{
    private TestServer server = null!;
    private TestAgent agent = null!;
    private X509Certificate2Collection anchors = null!;
    private GrpcChannel adminChannel = null!;

    [OneTimeSetUp]
    public async Task StartServer()
    {
        this.server = await TestServer.StartAsync();
        this.anchors = await this.server.GetTrustAnchorsAsync();
        this.agent = new TestAgent(this.server, this.anchors);
        var token = await new AgentApi.Agent.AgentClient(this.server.CreateAdminChannel())
            .CreateJoinTokenAsync(new AgentApi.CreateJoinTokenRequest { Ttl = 600 }).ResponseAsync.DefaultTimeout();
        await this.agent.AttestJoinTokenAsync(token.Value);
        this.adminChannel = this.server.CreateAdminChannel();
    }

    [OneTimeTearDown]
    public async Task StopServer()
    {
        this.adminChannel.Dispose();
        await this.server.DisposeAsync();
    }

    [Test]
    public async Task AdminSvid_EntryAgentAndBundleAdminRpcs_Succeed()
    {
        // Arrange
        using var svid = await this.MintSvidAsync("/tls/admin", admin: true);
        using var channel = this.server.CreateAgentChannel(this.anchors, svid);

        // Act
        var created = await new EntryApi.Entry.EntryClient(channel).BatchCreateEntryAsync(new EntryApi.BatchCreateEntryRequest
        {
            Entries = { EntryAdminServiceTests.NewEntry("/tls/created-by-admin", "/tls/parent", "unix:uid:5") },
        }).ResponseAsync.DefaultTimeout();
        var count = await new EntryApi.Entry.EntryClient(channel).CountEntriesAsync(new EntryApi.CountEntriesRequest()).ResponseAsync.DefaultTimeout();
        var agents = await new AgentApi.Agent.AgentClient(channel).ListAgentsAsync(new AgentApi.ListAgentsRequest()).ResponseAsync.DefaultTimeout();
        var bundles = await new BundleApi.Bundle.BundleClient(channel).CountBundlesAsync(new BundleApi.CountBundlesRequest()).ResponseAsync.DefaultTimeout();

        // Assert
        Assert.That(created.Results.Single().Status.Code, Is.EqualTo((int)StatusCode.OK));
        Assert.That(count.Count, Is.GreaterThanOrEqualTo(2));
        Assert.That(agents.Agents.Select(a => a.Id.Path), Does.Contain(this.agent.Id.Path));
        Assert.That(bundles.Count, Is.EqualTo(1));
    }

    [Test]
    public async Task WorkloadSvidWithoutAdmin_AdminRpc_IsPermissionDenied()
    {
        // Arrange
        using var svid = await this.MintSvidAsync("/tls/plain", admin: false);
        using var channel = this.server.CreateAgentChannel(this.anchors, svid);

        // Act
        var ex = Assert.ThrowsAsync<RpcException>(async () =>
            await new EntryApi.Entry.EntryClient(channel).ListEntriesAsync(new EntryApi.ListEntriesRequest()).ResponseAsync.DefaultTimeout());

        // Assert
        Assert.That(ex!.StatusCode, Is.EqualTo(StatusCode.PermissionDenied));
    }

    [Test]
    public async Task AgentSvid_AdminRpcDenied_AgentRpcStillServed()
    {
        // Arrange
        using var channel = this.agent.CreateChannel();

        // Act
        var denied = Assert.ThrowsAsync<RpcException>(async () =>
            await new AgentApi.Agent.AgentClient(channel).CreateJoinTokenAsync(new AgentApi.CreateJoinTokenRequest { Ttl = 60 }).ResponseAsync.DefaultTimeout());
        var authorized = await new EntryApi.Entry.EntryClient(channel).GetAuthorizedEntriesAsync(new EntryApi.GetAuthorizedEntriesRequest()).ResponseAsync.DefaultTimeout();
        var bundle = await new BundleApi.Bundle.BundleClient(channel).GetBundleAsync(new BundleApi.GetBundleRequest()).ResponseAsync.DefaultTimeout();

        // Assert
        Assert.That(denied!.StatusCode, Is.EqualTo(StatusCode.PermissionDenied));
        Assert.That(denied.Status.Detail, Is.EqualTo("caller is not an admin"));
        Assert.That(authorized.Entries, Is.Not.Null);
        Assert.That(bundle.TrustDomain, Is.EqualTo(EntryAdminServiceTests.TrustDomain));
    }

    [Test]
    public void NoClientCertificate_AdminRpc_IsPermissionDenied()
    {
        // Arrange
        using var channel = this.server.CreateAgentChannel(this.anchors);

        // Act
        var ex = Assert.ThrowsAsync<RpcException>(async () =>
            await new BundleApi.Bundle.BundleClient(channel).CountBundlesAsync(new BundleApi.CountBundlesRequest()).ResponseAsync.DefaultTimeout());

        // Assert
        Assert.That(ex!.StatusCode, Is.EqualTo(StatusCode.PermissionDenied));
    }

    private async Task<X509Certificate2> MintSvidAsync(string path, bool admin)
    {
        var entry = EntryAdminServiceTests.NewEntry(path, this.agent.Id.Path, "unix:uid:1");
        entry.Admin = admin;
        var created = (await new EntryApi.Entry.EntryClient(this.adminChannel)
            .BatchCreateEntryAsync(new EntryApi.BatchCreateEntryRequest { Entries = { entry } }).ResponseAsync.DefaultTimeout()).Results.Single();
        Assert.That(created.Status.Code, Is.EqualTo((int)StatusCode.OK), created.Status.Message);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var agentChannel = this.agent.CreateChannel();
        var response = await new SvidApi.SVID.SVIDClient(agentChannel).BatchNewX509SVIDAsync(new SvidApi.BatchNewX509SVIDRequest
        {
            Params = { new SvidApi.NewX509SVIDParams { EntryId = created.Entry.Id, Csr = ByteString.CopyFrom(TestAgent.CreateCsr(key)) } },
        }).ResponseAsync.DefaultTimeout();
        var result = response.Results.Single();
        Assert.That(result.Status.Code, Is.EqualTo((int)StatusCode.OK), result.Status.Message);
        using var leaf = X509CertificateLoader.LoadCertificate(result.Svid.CertChain[0].Span);
        return leaf.CopyWithPrivateKey(key);
    }
}
