using System.Security.Authentication;
using Spiffe.Core;
using Spiffe.Testing;
using Spiffe.WorkloadApi.Proto;
using Spiffe.WorkloadApi.Tests.Infrastructure;
using static Spiffe.WorkloadApi.Tests.Infrastructure.TestIdentities;

namespace Spiffe.WorkloadApi.Tests.Tls;

/// <summary>Handshakes between two <see cref="X509Source"/>s (one fake Workload API, SVIDs picked by hint) over loopback TCP.</summary>
[TestFixture]
public sealed class SpiffeTlsTests
{
    private static readonly SpiffeId ServerId = SpiffeId.Parse("spiffe://example.org/server");
    private static readonly SpiffeId ClientId = SpiffeId.Parse("spiffe://example.org/client");

    private FakeWorkloadApi fake = null!;
    private X509Source serverSource = null!;
    private X509Source clientSource = null!;
    private TestX509Svid serverSvid = null!;
    private TestX509Svid clientSvid = null!;

    [SetUp]
    public async Task StartAsync()
    {
        this.fake = await FakeWorkloadApi.StartAsync();
        (this.serverSvid, this.clientSvid) = (Ca.IssueX509Svid(ServerId), Ca.IssueX509Svid(ClientId));
        this.fake.X509Svids.Set(Response(this.serverSvid, this.clientSvid));
        this.serverSource = await this.CreateSourceAsync("server");
        this.clientSource = await this.CreateSourceAsync("client");
    }

    [TearDown]
    public async Task StopAsync()
    {
        await this.serverSource.DisposeAsync();
        await this.clientSource.DisposeAsync();
        await this.fake.DisposeAsync();
    }

    [Test]
    public async Task Mtls_AuthorizersMatch_HandshakeSucceedsAndBothSidesSeeThePeerSvid()
    {
        // Arrange
        await using var server = TlsEchoServer.Start(SpiffeTls.CreateMtlsServerOptions(this.serverSource, this.serverSource, Authorizers.AuthorizeId(ClientId)));

        // Act
        await using var stream = await server.ConnectAsync(SpiffeTls.CreateMtlsClientOptions(this.clientSource, this.clientSource, Authorizers.AuthorizeId(ServerId)));
        var (clientCertificate, error) = await server.NextHandshakeAsync();
        var echo = await TlsEchoServer.EchoAsync(stream, "ping");

        // Assert
        Assert.That(error, Is.Null);
        Assert.That(echo, Is.EqualTo("ping"));
        Assert.That(clientCertificate!.RawData, Is.EqualTo(this.clientSvid.Leaf.RawData));
        Assert.That(stream.RemoteCertificate!.GetRawCertData(), Is.EqualTo(this.serverSvid.Leaf.RawData));
    }

    [Test]
    public async Task Mtls_ServerAuthorizerRefusesClient_HandshakeFails()
    {
        // Arrange
        await using var server = TlsEchoServer.Start(SpiffeTls.CreateMtlsServerOptions(this.serverSource, this.serverSource, Authorizers.AuthorizeId(Db)));

        // Act
        var clientFailure = await CatchAsync(async () =>
        {
            await using var stream = await server.ConnectAsync(SpiffeTls.CreateMtlsClientOptions(this.clientSource, this.clientSource, Authorizers.AuthorizeAny()));
            await TlsEchoServer.EchoAsync(stream, "ping");
        });
        var (clientCertificate, error) = await server.NextHandshakeAsync();

        // Assert
        Assert.That(clientCertificate, Is.Null);
        Assert.That(error, Is.InstanceOf<AuthenticationException>());
        Assert.That(clientFailure, Is.Not.Null);
    }

    [Test]
    public async Task Mtls_ClientAuthorizerRefusesServer_ClientHandshakeFails()
    {
        // Arrange
        await using var server = TlsEchoServer.Start(SpiffeTls.CreateMtlsServerOptions(this.serverSource, this.serverSource, Authorizers.AuthorizeAny()));

        // Act
        var clientFailure = await CatchAsync(() => server.ConnectAsync(SpiffeTls.CreateMtlsClientOptions(this.clientSource, this.clientSource, Authorizers.AuthorizeMemberOf(FederatedDomain))));

        // Assert
        Assert.That(clientFailure, Is.InstanceOf<AuthenticationException>());
    }

    [Test]
    public async Task Mtls_ClientFromUntrustedAuthority_ServerRefuses()
    {
        // Arrange
        var rogueCa = TestCa.CreateRoot(Domain, TimeProvider.System.GetUtcNow());
        var rogue = rogueCa.IssueX509Svid(ClientId).ToX509Svid();
        await using var server = TlsEchoServer.Start(SpiffeTls.CreateMtlsServerOptions(this.serverSource, this.serverSource, Authorizers.AuthorizeAny()));

        // Act
        await CatchAsync(async () =>
        {
            await using var stream = await server.ConnectAsync(SpiffeTls.CreateMtlsClientOptions(rogue, this.clientSource, Authorizers.AuthorizeAny()));
            await TlsEchoServer.EchoAsync(stream, "ping");
        });
        var (clientCertificate, error) = await server.NextHandshakeAsync();

        // Assert
        Assert.That(clientCertificate, Is.Null);
        Assert.That(error, Is.InstanceOf<AuthenticationException>());
    }

    [Test]
    public async Task Mtls_RotationMidTraffic_OpenConnectionContinuesAndNextHandshakeUsesNewSvids()
    {
        // Arrange
        await using var server = TlsEchoServer.Start(SpiffeTls.CreateMtlsServerOptions(this.serverSource, this.serverSource, Authorizers.AuthorizeId(ClientId)));
        var clientOptions = SpiffeTls.CreateMtlsClientOptions(this.clientSource, this.clientSource, Authorizers.AuthorizeId(ServerId));
        await using var before = await server.ConnectAsync(clientOptions);
        var (firstClientCertificate, _) = await server.NextHandshakeAsync();
        await TlsEchoServer.EchoAsync(before, "one");
        var (newServer, newClient) = (Ca.IssueX509Svid(ServerId), Ca.IssueX509Svid(ClientId));

        // Act
        await Task.WhenAll(UpdatedAsync(this.serverSource), UpdatedAsync(this.clientSource), Task.Run(() => this.fake.X509Svids.Set(Response(newServer, newClient)))).DefaultTimeout();
        var stillOpen = await TlsEchoServer.EchoAsync(before, "two");
        await using var after = await server.ConnectAsync(clientOptions);
        var (secondClientCertificate, error) = await server.NextHandshakeAsync();

        // Assert
        Assert.That(stillOpen, Is.EqualTo("two"));
        Assert.That(error, Is.Null);
        Assert.That(firstClientCertificate!.RawData, Is.EqualTo(this.clientSvid.Leaf.RawData));
        Assert.That(secondClientCertificate!.RawData, Is.EqualTo(newClient.Leaf.RawData));
        Assert.That(before.RemoteCertificate!.GetRawCertData(), Is.EqualTo(this.serverSvid.Leaf.RawData));
        Assert.That(after.RemoteCertificate!.GetRawCertData(), Is.EqualTo(newServer.Leaf.RawData));
    }

    [Test]
    public async Task Tls_ServerOnly_ClientVerifiesServerAndSendsNoCertificate()
    {
        // Arrange
        await using var server = TlsEchoServer.Start(SpiffeTls.CreateTlsServerOptions(this.serverSource));

        // Act
        await using var stream = await server.ConnectAsync(SpiffeTls.CreateTlsClientOptions(this.clientSource, Authorizers.AuthorizeId(ServerId)));
        var (clientCertificate, error) = await server.NextHandshakeAsync();

        // Assert
        Assert.That(error, Is.Null);
        Assert.That(clientCertificate, Is.Null);
        Assert.That(await TlsEchoServer.EchoAsync(stream, "ping"), Is.EqualTo("ping"));
    }

    [Test]
    public async Task Tls_ServerSvidFromIntermediate_ServerSendsChainAndClientVerifiesAgainstRoot()
    {
        // Arrange
        var intermediate = Ca.CreateIntermediate();
        this.fake.X509Svids.Set(Response(intermediate.IssueX509Svid(ServerId), this.clientSvid));
        await UpdatedAsync(this.serverSource).DefaultTimeout();
        await using var server = TlsEchoServer.Start(SpiffeTls.CreateTlsServerOptions(this.serverSource));

        // Act
        await using var stream = await server.ConnectAsync(SpiffeTls.CreateTlsClientOptions(Ca.CreateX509Bundle(), Authorizers.AuthorizeId(ServerId)));

        // Assert
        Assert.That(await TlsEchoServer.EchoAsync(stream, "ping"), Is.EqualTo("ping"));
    }

    [Test]
    public async Task Mtls_StaticClientSvidFromIntermediate_ServerVerifiesChain()
    {
        // Arrange
        var svid = Ca.CreateIntermediate().IssueX509Svid(ClientId).ToX509Svid();
        await using var server = TlsEchoServer.Start(SpiffeTls.CreateMtlsServerOptions(this.serverSource, Ca.CreateX509Bundle(), Authorizers.AuthorizeId(ClientId)));

        // Act
        await using var stream = await server.ConnectAsync(SpiffeTls.CreateMtlsClientOptions(svid, this.clientSource, Authorizers.AuthorizeAny()));
        var (clientCertificate, error) = await server.NextHandshakeAsync();

        // Assert
        Assert.That(error, Is.Null);
        Assert.That(clientCertificate!.RawData, Is.EqualTo(svid.Certificates[0].RawData));
    }

    [Test]
    public async Task Mtls_CustomSvidSource_CertificateSelectedPerHandshake()
    {
        // Arrange
        var custom = new SwitchableSource(this.serverSvid.ToX509Svid());
        await using var server = TlsEchoServer.Start(SpiffeTls.CreateMtlsServerOptions(custom, this.serverSource, Authorizers.AuthorizeAny()));
        var clientOptions = SpiffeTls.CreateMtlsClientOptions(this.clientSource, this.clientSource, Authorizers.AuthorizeId(ServerId));
        await using var first = await server.ConnectAsync(clientOptions);
        var next = Ca.IssueX509Svid(ServerId);

        // Act
        custom.Current = next.ToX509Svid();
        await using var second = await server.ConnectAsync(clientOptions);

        // Assert
        Assert.That(first.RemoteCertificate!.GetRawCertData(), Is.EqualTo(this.serverSvid.Leaf.RawData));
        Assert.That(second.RemoteCertificate!.GetRawCertData(), Is.EqualTo(next.Leaf.RawData));
    }

    private static async Task<Exception?> CatchAsync(Func<Task> action)
    {
        try
        {
            await action();
            return null;
        }
        catch (Exception ex)
        {
            return ex;
        }
    }

    private static Task UpdatedAsync(X509Source source)
    {
        var updated = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        source.Updated += (_, _) => updated.TrySetResult();
        return updated.Task;
    }

    private static X509SVIDResponse Response(TestX509Svid server, TestX509Svid client) =>
        Messages.X509SvidResponse(Messages.X509Svid(ServerId, server, Ca, "server"), Messages.X509Svid(ClientId, client, Ca, "client"));

    private Task<X509Source> CreateSourceAsync(string hint) => X509Source.CreateAsync(new X509SourceOptions
    {
        ClientOptions = new WorkloadApiClientOptions { Address = this.fake.Address },
        SvidPicker = X509SvidPickers.ByHint(hint),
    }).DefaultTimeout();

    private sealed class SwitchableSource : IX509SvidSource
    {
        public SwitchableSource(X509Svid current)
        {
            this.Current = current;
        }

        public X509Svid Current { get; set; }

        public X509Svid GetX509Svid() => this.Current;
    }
}
