using System.Collections.Concurrent;
using System.Net;
using Greeter.Client;
using Greeter.Server;
using Microsoft.AspNetCore.Builder;
using Spiffe.Core;
using Spiffe.Testing;
using Spiffe.WorkloadApi.Proto;
using Spiffe.WorkloadApi.Tests.Infrastructure;
using static Spiffe.WorkloadApi.Tests.Infrastructure.TestIdentities;

namespace Spiffe.WorkloadApi.Tests.Samples;

/// <summary>
/// samples/MtlsGreeter: the server and client built by the samples' own setup methods, both getting their SVIDs from
/// one <see cref="FakeWorkloadApi"/> that serves the server's, the client's and an intruder's SVID (each sample picks
/// its own by SPIFFE ID, as it does when a process matches several registration entries).
/// </summary>
[TestFixture]
public sealed class MtlsGreeterTests
{
    private static readonly SpiffeId IntruderId = SpiffeId.Parse("spiffe://example.org/intruder");

    private FakeWorkloadApi fake = null!;
    private TestX509Svid serverSvid = null!;
    private TestX509Svid clientSvid = null!;
    private X509Source serverSource = null!;
    private X509Source clientSource = null!;
    private WebApplication server = null!;
    private Uri serverAddress = null!;

    [SetUp]
    public async Task StartAsync()
    {
        this.fake = await FakeWorkloadApi.StartAsync();
        this.serverSvid = Ca.IssueX509Svid(GreeterServer.Id);
        this.clientSvid = Ca.IssueX509Svid(GreeterClient.Id);
        this.fake.X509Svids.Set(Svids(this.serverSvid, this.clientSvid));
        this.serverSource = await GreeterServer.ConnectAsync(this.fake.Address).DefaultTimeout();
        this.clientSource = await GreeterClient.ConnectAsync(this.fake.Address).DefaultTimeout();
        this.server = GreeterServer.Build(this.serverSource, GreeterServer.ClientId, new IPEndPoint(IPAddress.Loopback, 0));
        await this.server.StartAsync().DefaultTimeout();
        this.serverAddress = new Uri(this.server.Urls.Single());
    }

    [TearDown]
    public async Task StopAsync()
    {
        await this.server.StopAsync();
        await this.server.DisposeAsync();
        await this.serverSource.DisposeAsync();
        await this.clientSource.DisposeAsync();
        await this.fake.DisposeAsync();
    }

    [Test]
    public async Task SayHello_GreeterClient_ServerGreetsItBySpiffeIdAndSvidSerial()
    {
        // Arrange
        using var http = GreeterClient.Create(this.clientSource, GreeterClient.ServerId, this.serverAddress, TimeSpan.FromMinutes(1));

        // Act
        var greeting = await GreeterClient.SayHelloAsync(http).DefaultTimeout();

        // Assert
        Assert.That(greeting, Does.StartWith($"Hello, {GreeterClient.Id}! "));
        Assert.That(greeting, Does.Contain($"client SVID serial {this.clientSvid.Leaf.SerialNumber}"));
        Assert.That(greeting, Does.Contain($"server SVID serial {this.serverSvid.Leaf.SerialNumber}"));
    }

    [Test]
    public async Task SayHello_ClientWithAnotherSpiffeId_ServerRefusesIt()
    {
        // Arrange: a trusted SVID from the same CA, but not the ID the server authorizes.
        await using var intruder = await X509Source.CreateAsync(new X509SourceOptions
        {
            ClientOptions = new WorkloadApiClientOptions { Address = this.fake.Address },
            SvidPicker = X509SvidPickers.ById(IntruderId),
        }).DefaultTimeout();
        using var http = GreeterClient.Create(intruder, GreeterClient.ServerId, this.serverAddress, TimeSpan.FromMinutes(1));

        // Act & Assert
        Assert.That(async () => await GreeterClient.SayHelloAsync(http).DefaultTimeout(), Throws.InstanceOf<HttpRequestException>());
    }

    [Test]
    public void SayHello_ServerWithUnexpectedSpiffeId_ClientRefusesIt()
    {
        // Arrange: the client expects another server ID than the one the greeter server presents.
        using var http = GreeterClient.Create(this.clientSource, IntruderId, this.serverAddress, TimeSpan.FromMinutes(1));

        // Act & Assert
        Assert.That(async () => await GreeterClient.SayHelloAsync(http).DefaultTimeout(), Throws.InstanceOf<HttpRequestException>());
    }

    [Test]
    public async Task SayHello_SvidsRotatedMidTraffic_EveryCallSucceedsAndLaterCallsUseTheNewSvids()
    {
        // Arrange: calls back to back, each on a new connection (so that each one shows the SVIDs in use).
        using var http = GreeterClient.Create(this.clientSource, GreeterClient.ServerId, this.serverAddress, TimeSpan.Zero);
        var rotatedServer = Ca.IssueX509Svid(GreeterServer.Id);
        var rotatedClient = Ca.IssueX509Svid(GreeterClient.Id);
        var rotatedSerials = $"(client SVID serial {rotatedClient.Leaf.SerialNumber}, server SVID serial {rotatedServer.Leaf.SerialNumber})";
        var greetings = new ConcurrentQueue<string>();
        using var stop = new CancellationTokenSource();
        var traffic = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                greetings.Enqueue(await GreeterClient.SayHelloAsync(http));
            }
        });
        await FakeWorkloadApi.WaitUntilAsync(() => greetings.Count >= 3 || traffic.IsCompleted);

        // Act: the agent pushes new SVIDs to both workloads while calls are in flight.
        this.fake.X509Svids.Set(Svids(rotatedServer, rotatedClient));
        await FakeWorkloadApi.WaitUntilAsync(() => greetings.Count(g => g.EndsWith(rotatedSerials, StringComparison.Ordinal)) >= 3 || traffic.IsCompleted);
        await stop.CancelAsync();
        await traffic.DefaultTimeout();

        // Assert: no call failed (the traffic task would have thrown), the old SVIDs served the first calls and the
        // new ones the last.
        Assert.That(greetings.First(), Does.EndWith($"(client SVID serial {this.clientSvid.Leaf.SerialNumber}, server SVID serial {this.serverSvid.Leaf.SerialNumber})"));
        Assert.That(greetings.Last(), Does.EndWith(rotatedSerials));
    }

    private static X509SVIDResponse Svids(TestX509Svid server, TestX509Svid client) => Messages.X509SvidResponse(
        Messages.X509Svid(GreeterServer.Id, server, Ca),
        Messages.X509Svid(GreeterClient.Id, client, Ca),
        Messages.X509Svid(IntruderId, Ca.IssueX509Svid(IntruderId), Ca));
}
