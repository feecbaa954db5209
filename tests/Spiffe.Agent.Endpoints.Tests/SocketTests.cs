using System.Net.Sockets;
using System.Runtime.Versioning;
using System.Text;
using Grpc.Core;
using Spiffe.Agent.Endpoints.Tests.Infrastructure;

namespace Spiffe.Agent.Endpoints.Tests;

[TestFixture]
[SupportedOSPlatform("linux")]
public sealed class SocketTests
{
    private static readonly TestTrustDomain Domain = new("example.org");

    [Test]
    public async Task Start_FreshDirectory_SocketIsWorldConnectableAndDirectoryIs0755()
    {
        // Arrange & Act
        await using var harness = await EndpointHarness.StartAsync(Domain);

        // Assert
        Assert.That(File.GetUnixFileMode(harness.SocketPath), Is.EqualTo((UnixFileMode)0b111_111_111));
        Assert.That(File.GetUnixFileMode(Path.GetDirectoryName(harness.SocketPath)!), Is.EqualTo((UnixFileMode)0b111_101_101));
    }

    [Test]
    public async Task Start_StaleFileAtSocketPath_ReplacedBySocket()
    {
        // Arrange
        var harness = new EndpointHarness(Domain);
        await using (harness)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(harness.SocketPath)!);
            await File.WriteAllTextAsync(harness.SocketPath, "stale").DefaultTimeout();

            // Act
            await harness.Server.StartAsync(CancellationToken.None).DefaultTimeout();
            var client = harness.CreateClient();
            var response = await client.Health.CheckAsync(new Proto.Grpc.Health.V1.HealthCheckRequest()).ResponseAsync.DefaultTimeout();

            // Assert
            Assert.That(response.Status, Is.EqualTo(Proto.Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus.Serving));
            Assert.That(harness.Logs.Events.Select(e => e.EventName), Does.Contain("StaleSocketRemoved"));
        }
    }

    [Test]
    public async Task Stop_Running_SocketFileRemoved()
    {
        // Arrange
        await using var harness = await EndpointHarness.StartAsync(Domain);

        // Act
        await harness.Server.StopAsync(CancellationToken.None).DefaultTimeout();

        // Assert
        Assert.That(File.Exists(harness.SocketPath), Is.False);
    }

    private static IEnumerable<TestCaseData> Garbage()
    {
        yield return new TestCaseData(Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: x\r\n\r\n")).SetArgDisplayNames("HTTP/1.1");
        yield return new TestCaseData(new byte[] { 0xde, 0xad, 0xbe, 0xef, 0, 0, 0, 0, 0xff, 0xff }).SetArgDisplayNames("random bytes");
        yield return new TestCaseData(Encoding.ASCII.GetBytes("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n").Concat(new byte[] { 0, 0, 2, 1, 4, 0, 0, 0, 1, 0xff, 0xff }).ToArray()).SetArgDisplayNames("preface then bad frame");
    }

    [TestCaseSource(nameof(Garbage))]
    public async Task Connection_GarbageBytes_EndpointKeepsServing(byte[] bytes)
    {
        // Arrange
        await using var harness = await EndpointHarness.StartAsync(Domain);
        harness.Cache.Publish(Domain.Update(Domain.Identity("e1", "/w")));

        // Act
        using (var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified))
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(harness.SocketPath)).DefaultTimeout();
            await socket.SendAsync(bytes).DefaultTimeout();
            socket.Shutdown(SocketShutdown.Send);
            var buffer = new byte[4096];
            while (await socket.ReceiveAsync(buffer).DefaultTimeout() > 0)
            {
                // Drain until the endpoint closes the connection.
            }
        }

        var client = harness.CreateClient();
        using var call = client.FetchX509Svid();
        var received = await call.ResponseStream.MoveNext().DefaultTimeout();

        // Assert
        Assert.That(received, Is.True);
        Assert.That(harness.Tracker.Watchers[0].Disposed.IsCompleted, Is.True);
    }

    [Test]
    public async Task Connection_ClientConnectsAndLeaves_EndpointKeepsServing()
    {
        // Arrange
        await using var harness = await EndpointHarness.StartAsync(Domain);
        harness.Cache.Publish(Domain.Update(Domain.Identity("e1", "/w")));
        for (var i = 0; i < 5; i++)
        {
            using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(harness.SocketPath)).DefaultTimeout();
        }

        // Act
        var client = harness.CreateClient();
        using var call = client.FetchX509Svid();
        var received = await call.ResponseStream.MoveNext().DefaultTimeout();

        // Assert
        Assert.That(received, Is.True);
    }
}
