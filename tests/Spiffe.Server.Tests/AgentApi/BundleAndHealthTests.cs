using System.Security.Cryptography.X509Certificates;
using Grpc.Core;
using Spiffe.Core;
using Spiffe.Proto.Grpc.Health.V1;
using Spiffe.Proto.Spire.Server.Bundle.V1;
using Spiffe.Proto.Spire.Server.Entry.V1;
using Spiffe.Proto.Spire.Types;
using Spiffe.Server.DataStore;
using Spiffe.Server.Tests.Infrastructure;
using BundleClient = Spiffe.Proto.Spire.Server.Bundle.V1.Bundle.BundleClient;
using EntryClient = Spiffe.Proto.Spire.Server.Entry.V1.Entry.EntryClient;
using HealthClient = Spiffe.Proto.Grpc.Health.V1.Health.HealthClient;

namespace Spiffe.Server.Tests.AgentFacing;

[TestFixture]
public sealed class BundleAndHealthTests
{
    [Test]
    public async Task GetBundle_WithoutClientCertificate_ReturnsRootsAndJwtKeys()
    {
        // Arrange
        await using var server = await TestServer.StartAsync();
        using var channel = server.CreateAgentChannel(await server.GetTrustAnchorsAsync());

        // Act
        var bundle = await new BundleClient(channel).GetBundleAsync(new GetBundleRequest()).ResponseAsync.DefaultTimeout();

        // Assert
        var root = X509CertificateLoader.LoadCertificate(bundle.X509Authorities.Single().Asn1.ToByteArray());
        Assert.Multiple(() =>
        {
            Assert.That(bundle.TrustDomain, Is.EqualTo("example.org"));
            Assert.That(root.Thumbprint, Is.EqualTo(server.Ca.ActiveX509CA.Certificate.Thumbprint));
            Assert.That(bundle.JwtAuthorities.Single().KeyId, Is.EqualTo(server.Ca.ActiveJwtKey.Kid));
            Assert.That(bundle.JwtAuthorities.Single().ExpiresAt, Is.GreaterThan(0));
            Assert.That(bundle.SequenceNumber, Is.GreaterThan(0UL));
        });
    }

    [Test]
    public async Task GetBundle_OutputMask_LimitsFields()
    {
        // Arrange
        await using var server = await TestServer.StartAsync();
        using var channel = server.CreateAgentChannel(await server.GetTrustAnchorsAsync());

        // Act
        var bundle = await new BundleClient(channel).GetBundleAsync(new GetBundleRequest { OutputMask = new BundleMask { JwtAuthorities = true } }).ResponseAsync.DefaultTimeout();

        // Assert
        Assert.That(bundle.X509Authorities, Is.Empty);
        Assert.That(bundle.JwtAuthorities, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task GetFederatedBundle_Agent_ReturnsStoredBundle()
    {
        // Arrange
        await using var server = await TestServer.StartAsync();
        var foreignRoot = Testing.TestCa.CreateRoot(TrustDomain.Parse("partner.test"), TimeProvider.System.GetUtcNow()).Certificate;
        await server.DataStore.CreateBundleAsync(
            new BundleRecord { TrustDomain = TrustDomain.Parse("partner.test"), X509Authorities = [new X509Authority(foreignRoot.RawData)] },
            CancellationToken.None).DefaultTimeout();
        var agent = await AttestAsync(server);
        using var channel = agent.CreateChannel();

        // Act
        var bundle = await new BundleClient(channel).GetFederatedBundleAsync(new GetFederatedBundleRequest { TrustDomain = "partner.test" }).ResponseAsync.DefaultTimeout();

        // Assert
        Assert.That(bundle.TrustDomain, Is.EqualTo("partner.test"));
        Assert.That(bundle.X509Authorities.Single().Asn1.ToByteArray(), Is.EqualTo(foreignRoot.RawData));
    }

    [TestCase("unknown.test", StatusCode.NotFound)]
    [TestCase("example.org", StatusCode.InvalidArgument)]
    [TestCase("Not A Domain", StatusCode.InvalidArgument)]
    public async Task GetFederatedBundle_BadTrustDomain_FailsWithStatus(string trustDomain, StatusCode expected)
    {
        // Arrange
        await using var server = await TestServer.StartAsync();
        var agent = await AttestAsync(server);
        using var channel = agent.CreateChannel();

        // Act
        var ex = Assert.ThrowsAsync<RpcException>(() => new BundleClient(channel).GetFederatedBundleAsync(new GetFederatedBundleRequest { TrustDomain = trustDomain }).ResponseAsync.DefaultTimeout());

        // Assert
        Assert.That(ex!.StatusCode, Is.EqualTo(expected));
    }

    [Test]
    public async Task GetFederatedBundle_NoClientCertificate_FailsPermissionDenied()
    {
        // Arrange
        await using var server = await TestServer.StartAsync();
        using var channel = server.CreateAgentChannel(await server.GetTrustAnchorsAsync());

        // Act
        var ex = Assert.ThrowsAsync<RpcException>(() => new BundleClient(channel).GetFederatedBundleAsync(new GetFederatedBundleRequest { TrustDomain = "partner.test" }).ResponseAsync.DefaultTimeout());

        // Assert
        Assert.That(ex!.StatusCode, Is.EqualTo(StatusCode.PermissionDenied));
    }

    [Test]
    public async Task HealthCheck_BothListeners_Serving()
    {
        // Arrange
        await using var server = await TestServer.StartAsync();
        using var tcp = server.CreateAgentChannel(await server.GetTrustAnchorsAsync());
        using var unix = server.CreateAdminChannel();

        // Act
        var overTcp = await new HealthClient(tcp).CheckAsync(new HealthCheckRequest()).ResponseAsync.DefaultTimeout();
        var overUnix = await new HealthClient(unix).CheckAsync(new HealthCheckRequest()).ResponseAsync.DefaultTimeout();

        // Assert
        Assert.That(overTcp.Status, Is.EqualTo(HealthCheckResponse.Types.ServingStatus.Serving));
        Assert.That(overUnix.Status, Is.EqualTo(HealthCheckResponse.Types.ServingStatus.Serving));
    }

    [Test]
    public async Task AgentRpcOverAdminSocket_IsNotServedByTheAgentFacingService()
    {
        // Arrange
        await using var server = await TestServer.StartAsync();
        using var unix = server.CreateAdminChannel();

        // Act
        var ex = Assert.ThrowsAsync<RpcException>(() => new EntryClient(unix).GetAuthorizedEntriesAsync(new GetAuthorizedEntriesRequest()).ResponseAsync.DefaultTimeout());

        // Assert
        Assert.That(ex!.StatusCode, Is.AnyOf(StatusCode.Unimplemented, StatusCode.PermissionDenied));
    }

    [Test]
    public async Task HealthHttpListener_LiveAndReady_Return200()
    {
        // Arrange
        await using var server = await TestServer.StartAsync(c => c with
        {
            HealthChecks = new Spiffe.Server.Config.HealthChecksConfig { ListenerEnabled = true, BindAddress = "127.0.0.1", BindPort = 0 },
        });
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{server.Host.HealthPort}") };

        // Act
        using var live = await http.GetAsync(new Uri("/live", UriKind.Relative)).DefaultTimeout();
        using var ready = await http.GetAsync(new Uri("/ready", UriKind.Relative)).DefaultTimeout();

        // Assert
        Assert.That(live.StatusCode, Is.EqualTo(System.Net.HttpStatusCode.OK));
        Assert.That(ready.StatusCode, Is.EqualTo(System.Net.HttpStatusCode.OK));
    }

    private static async Task<TestAgent> AttestAsync(TestServer server)
    {
        var agent = new TestAgent(server, await server.GetTrustAnchorsAsync());
        await agent.AttestJoinTokenAsync(await server.CreateJoinTokenAsync());
        return agent;
    }
}
