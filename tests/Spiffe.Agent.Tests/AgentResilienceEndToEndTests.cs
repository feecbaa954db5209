using System.Runtime.Versioning;
using Grpc.Core;
using Spiffe.Agent.Tests.Infrastructure;

namespace Spiffe.Agent.Tests;

/// <summary>Server outages and agent restarts, with their own server and agent (these tests kill and restart them).</summary>
[TestFixture]
[NonParallelizable]
[SupportedOSPlatform("linux")]
public sealed class AgentResilienceEndToEndTests
{
    private const string Domain = "spiffe://example.org";
    private TestDirectory _directory = null!;
    private ServerProcess _server = null!;
    private AgentProcess _agent = null!;
    private string _agentId = null!;

    [OneTimeSetUp]
    public async Task StartStackAsync()
    {
        _directory = new TestDirectory("spres");
        _server = new ServerProcess(_directory);
        await _server.StartAsync();
        var token = await _server.GenerateTokenAsync();
        _agentId = ServerProcess.AgentIdFor(token);
        await _server.CreateEntryAsync(_agentId, Domain + "/test-runner", ["unix:uid:0"]);
        _agent = new AgentProcess(_directory, _server, await _server.BundlePemAsync());
        await _agent.StartAsync(token);
    }

    [OneTimeTearDown]
    public async Task StopStackAsync()
    {
        if (_agent is not null)
        {
            await _agent.DisposeAsync();
        }

        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        _directory?.Dispose();
    }

    [TearDown]
    public void PrintLogsOnFailure()
    {
        if (TestContext.CurrentContext.Result.Outcome.Status == NUnit.Framework.Interfaces.TestStatus.Failed)
        {
            var log = _agent.Log;
            TestContext.Out.WriteLine("---- agent log (tail) ----\n" + (log.Length > 6000 ? log[^6000..] : log));
        }
    }

    [Test]
    [Order(1)]
    public async Task ServerKilled_CachedSvidsKeepFlowing_AndAgentRecoversWhenServerReturns()
    {
        // Arrange
        using var client = new WorkloadClient(_agent.SocketPath);
        using var openStream = client.FetchX509Svid();
        Assert.That(await openStream.ResponseStream.MoveNext().DefaultTimeout(), Is.True);

        // Act: the server crashes; cached SVIDs are still served to new and existing callers.
        await _server.KillAsync();
        var duringOutage = await client.FetchFirstX509SvidAsync();
        var healthyDuringOutage = await client.IsServingAsync();

        // Act: the server comes back; a new entry proves the agent syncs again.
        await _server.StartAsync();
        await _server.CreateEntryAsync(_agentId, Domain + "/after-outage", ["unix:uid:0"]);
        await Eventually.WaitAsync(
            async () => (await client.FetchFirstX509SvidAsync()).Svids.Any(s => s.SpiffeId == Domain + "/after-outage"),
            "the agent to sync with the restarted server");
        var streamUpdated = await openStream.ResponseStream.MoveNext().DefaultTimeout();

        // Assert
        Assert.That(duringOutage.Svids.Select(s => s.SpiffeId), Is.EqualTo(new[] { Domain + "/test-runner" }));
        Assert.That(healthyDuringOutage, Is.True);
        Assert.That(streamUpdated, Is.True);
        Assert.That(openStream.ResponseStream.Current.Svids.Select(s => s.SpiffeId), Does.Contain(Domain + "/after-outage"));
    }

    [Test]
    [Order(2)]
    public async Task AgentRestarted_WithoutJoinToken_ServesFromStoredAgentSvid()
    {
        // Arrange
        var stopped = await _agent.StopAsync();

        // Act
        await _agent.StartAsync(joinToken: null);
        using var client = new WorkloadClient(_agent.SocketPath);
        var response = await client.FetchFirstX509SvidAsync();

        // Assert
        Assert.That(stopped, Is.Zero, "a SIGTERM stop is clean");
        Assert.That(response.Svids.Select(s => s.SpiffeId), Does.Contain(Domain + "/test-runner"));
        Assert.That(_agent.Log, Does.Not.Contain("join token is required"));
    }

    [Test]
    [Order(3)]
    public async Task AgentStopped_SocketRemovedAndCallersRefused()
    {
        // Arrange
        await _agent.StopAsync();

        // Act
        var socketLeft = File.Exists(_agent.SocketPath);
        using var client = new WorkloadClient(_agent.SocketPath);
        var ex = Assert.ThrowsAsync<RpcException>(() => client.FetchFirstX509SvidAsync());
        await _agent.StartAsync(joinToken: null);

        // Assert
        Assert.That(socketLeft, Is.False);
        Assert.That(ex!.StatusCode, Is.EqualTo(StatusCode.Unavailable));
    }
}
