using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Spiffe.Core;
using Spiffe.Testing;
using Spiffe.WorkloadApi.AspNetCore;
using Spiffe.WorkloadApi.Proto;
using Spiffe.WorkloadApi.Tests.Infrastructure;
using static Spiffe.WorkloadApi.Tests.Infrastructure.TestIdentities;

namespace Spiffe.WorkloadApi.Tests.AspNetCore;

/// <summary>Kestrel with <see cref="SpiffeListenOptionsExtensions.UseSpiffeMtls"/> on loopback TCP and clients built with <see cref="SpiffeHttpHandler"/>.</summary>
[TestFixture]
public sealed class SpiffeMtlsKestrelTests
{
    private static readonly SpiffeId ServerId = SpiffeId.Parse("spiffe://example.org/server");
    private static readonly SpiffeId ClientId = SpiffeId.Parse("spiffe://example.org/client");

    private FakeWorkloadApi fake = null!;
    private X509Source serverSource = null!;
    private X509Source clientSource = null!;
    private CapturingLoggerProvider logs = null!;
    private WebApplication app = null!;
    private Uri baseAddress = null!;

    [SetUp]
    public async Task StartAsync()
    {
        this.fake = await FakeWorkloadApi.StartAsync();
        this.fake.X509Svids.Set(Response(Ca.IssueX509Svid(ServerId), Ca.IssueX509Svid(ClientId)));
        this.serverSource = await CreateSourceAsync(this.fake, "server");
        this.clientSource = await CreateSourceAsync(this.fake, "client");
        this.logs = new CapturingLoggerProvider();

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(this.logs);
        builder.WebHost.ConfigureKestrel(kestrel =>
            kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseSpiffeMtls(this.serverSource, Authorizers.AuthorizeId(ClientId))));
        this.app = builder.Build();
        this.app.MapGet("/peer", (HttpContext context) => Convert.ToBase64String(context.Connection.ClientCertificate!.RawData));
        await this.app.StartAsync();
        this.baseAddress = new Uri(this.app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single().Replace("127.0.0.1", "localhost", StringComparison.Ordinal));
    }

    [TearDown]
    public async Task StopAsync()
    {
        await this.app.StopAsync();
        await this.app.DisposeAsync();
        await this.serverSource.DisposeAsync();
        await this.clientSource.DisposeAsync();
        await this.fake.DisposeAsync();
        this.logs.Dispose();
    }

    [Test]
    public async Task Get_AuthorizedClient_ServerSeesClientSvid()
    {
        // Arrange
        using var http = new HttpClient(SpiffeHttpHandler.Create(this.clientSource, Authorizers.AuthorizeId(ServerId))) { BaseAddress = this.baseAddress };

        // Act
        var peer = await http.GetStringAsync(new Uri("/peer", UriKind.Relative)).DefaultTimeout();

        // Assert
        Assert.That(Convert.FromBase64String(peer), Is.EqualTo(this.clientSource.GetX509Svid().Certificates[0].RawData));
    }

    [Test]
    public async Task Get_ClientIdNotAuthorized_FailsAndServerLogsReason()
    {
        // Arrange
        await using var other = await CreateSourceAsync(this.fake, "server");
        using var http = new HttpClient(SpiffeHttpHandler.Create(other, Authorizers.AuthorizeAny())) { BaseAddress = this.baseAddress };

        // Act
        var exception = Assert.CatchAsync<HttpRequestException>(() => http.GetStringAsync(new Uri("/peer", UriKind.Relative)).DefaultTimeout());

        // Assert
        Assert.That(exception, Is.Not.Null);
        await FakeWorkloadApi.WaitUntilAsync(() => this.logs.MessagesFor("PeerRejected").Count > 0);
        Assert.That(this.logs.MessagesFor("PeerRejected")[0], Does.Contain($"unexpected ID \"{ServerId}\""));
    }

    [Test]
    public void Get_ServerIdRefusedByClient_Fails()
    {
        // Arrange
        using var http = new HttpClient(SpiffeHttpHandler.Create(this.clientSource, Authorizers.AuthorizeId(Db))) { BaseAddress = this.baseAddress };

        // Act & Assert
        Assert.CatchAsync<HttpRequestException>(() => http.GetStringAsync(new Uri("/peer", UriKind.Relative)).DefaultTimeout());
    }

    [Test]
    public async Task Get_AfterRotation_NewConnectionPresentsNewClientSvid()
    {
        // Arrange
        var handler = SpiffeHttpHandler.Create(this.clientSource, Authorizers.AuthorizeId(ServerId));
        handler.PooledConnectionLifetime = TimeSpan.Zero;
        using var http = new HttpClient(handler) { BaseAddress = this.baseAddress };
        var before = await http.GetStringAsync(new Uri("/peer", UriKind.Relative)).DefaultTimeout();
        var rotatedClient = Ca.IssueX509Svid(ClientId);
        var updated = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        this.clientSource.Updated += (_, _) => updated.TrySetResult();

        // Act
        this.fake.X509Svids.Set(Response(Ca.IssueX509Svid(ServerId), rotatedClient));
        await updated.Task.DefaultTimeout();
        var after = await http.GetStringAsync(new Uri("/peer", UriKind.Relative)).DefaultTimeout();

        // Assert
        Assert.That(Convert.FromBase64String(after), Is.EqualTo(rotatedClient.Leaf.RawData));
        Assert.That(after, Is.Not.EqualTo(before));
    }

    private static X509SVIDResponse Response(TestX509Svid server, TestX509Svid client) =>
        Messages.X509SvidResponse(Messages.X509Svid(ServerId, server, Ca, "server"), Messages.X509Svid(ClientId, client, Ca, "client"));

    private static Task<X509Source> CreateSourceAsync(FakeWorkloadApi fake, string hint) => X509Source.CreateAsync(new X509SourceOptions
    {
        ClientOptions = new WorkloadApiClientOptions { Address = fake.Address },
        SvidPicker = X509SvidPickers.ByHint(hint),
    }).DefaultTimeout();
}
