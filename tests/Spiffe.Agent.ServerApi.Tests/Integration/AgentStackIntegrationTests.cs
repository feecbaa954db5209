using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Spiffe.Agent.Core;
using Spiffe.Agent.Core.Attestation;
using Spiffe.Agent.Core.Node;
using Spiffe.Agent.Core.Server;
using Spiffe.Agent.Core.Workload;
using Spiffe.Agent.ServerApi.Tests.Fakes;
using Spiffe.Core;

namespace Spiffe.Agent.ServerApi.Tests.Integration;

/// <summary>
/// The agent back end as the composition root wires it (<c>AddAgentCore</c> + <c>AddSpireServerApi</c> in a generic
/// host) against the real spiffe-server.
/// </summary>
[TestFixture]
[Category("Integration")]
[NonParallelizable]
public sealed class AgentStackIntegrationTests
{
    private SpiffeServerProcess _server = null!;
    private string _bootstrapBundle = null!;
    private string _dataDirectory = null!;

    [OneTimeSetUp]
    public async Task StartServer()
    {
        _server = await SpiffeServerProcess.StartAsync();
        _bootstrapBundle = Path.Combine(_server.Directory, "bootstrap.pem");
        await File.WriteAllTextAsync(_bootstrapBundle, (await _server.BundleAsync()).MarshalPem());
    }

    [OneTimeTearDown]
    public async Task StopServer() => await _server.DisposeAsync();

    [SetUp]
    public void CreateDataDirectory() => _dataDirectory = Directory.CreateTempSubdirectory("spiffe-agent-it-").FullName;

    [TearDown]
    public void DeleteDataDirectory() => Directory.Delete(_dataDirectory, recursive: true);

    [Test]
    public async Task Agent_AttestsServesWorkloadsAndRestartsWithoutANewJoinToken()
    {
        // Arrange
        var token = await _server.GenerateJoinTokenAsync();
        var workload = SelectorSet.Create([Selector.Parse("unix:uid:4242"), Selector.Parse("unix:gid:0")]);
        SpiffeId agentId;
        string serial;
        WorkloadUpdate update;
        IReadOnlyList<IssuedJwtSvid> jwtSvids;

        // Act: first run
        using (var host = BuildHost(token))
        {
            await host.StartAsync().DefaultTimeout();
            await host.Services.GetRequiredService<IAgentStartup>().Ready.DefaultTimeout();
            var svid = host.Services.GetRequiredService<IAgentCredentialSource>().AgentSvid!;
            agentId = svid.Id;
            serial = svid.Certificates[0].SerialNumber;
            await _server.RunCliAsync("entry", "create", "-spiffeID", "spiffe://example.org/stack/web", "-parentID", agentId.ToString(), "-selector", "unix:uid:4242", "-hint", "web");
            var cache = host.Services.GetRequiredService<IWorkloadIdentityCache>();
            using var subscription = cache.Subscribe(workload);
            update = await FirstWithIdentitiesAsync(subscription).DefaultTimeout();
            jwtSvids = await cache.FetchJwtSvidsAsync(workload, ["stack-test"], null, CancellationToken.None).AsTask().DefaultTimeout();
            await host.StopAsync().DefaultTimeout();
        }

        // Act: restart on the same data directory with the already used token
        using var restarted = BuildHost(token);
        await restarted.StartAsync().DefaultTimeout();
        await restarted.Services.GetRequiredService<IAgentStartup>().Ready.DefaultTimeout();
        var reused = restarted.Services.GetRequiredService<IAgentCredentialSource>().AgentSvid!;
        await restarted.StopAsync().DefaultTimeout();

        // Assert
        Assert.That(agentId.ToString(), Is.EqualTo("spiffe://example.org/spire/agent/join_token/" + token));
        var identity = update.Identities.Single();
        Assert.That(identity.Entry.Hint, Is.EqualTo("web"));
        var verified = X509SvidVerifier.Verify(identity.Svid.Certificates, update.X509Bundle, TimeProvider.System.GetUtcNow());
        Assert.That(verified.Id.ToString(), Is.EqualTo("spiffe://example.org/stack/web"));
        Assert.That(jwtSvids.Single().SpiffeId, Is.EqualTo(verified.Id));
        Assert.That(jwtSvids.Single().Hint, Is.EqualTo("web"));
        Assert.That(reused.Id, Is.EqualTo(agentId));
        Assert.That(reused.Certificates[0].SerialNumber, Is.EqualTo(serial), "the stored SVID was reused, no attestation");
    }

    [Test]
    public async Task Agent_Banned_SignalsMustExitDeletesItsSvidAndStopsTheHost()
    {
        // Arrange
        var token = await _server.GenerateJoinTokenAsync();
        using var host = BuildHost(token);
        await host.StartAsync().DefaultTimeout();
        var startup = host.Services.GetRequiredService<IAgentStartup>();
        await startup.Ready.DefaultTimeout();
        var agentId = host.Services.GetRequiredService<IAgentCredentialSource>().AgentSvid!.Id;
        var stopping = new TaskCompletionSource();
        host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.Register(() => stopping.TrySetResult());

        // Act
        await _server.RunCliAsync("agent", "ban", "-spiffeID", agentId.ToString());
        var request = await startup.MustExit.DefaultTimeout();
        await stopping.Task.DefaultTimeout();
        await host.StopAsync().DefaultTimeout();

        // Assert
        Assert.That(request.Reason, Is.EqualTo(AgentExitReason.Banned));
        Assert.That(request.Message, Does.Contain("banned"));
        Assert.That(new AgentDataStore(_dataDirectory).Load().SvidChain, Is.Empty);
    }

    private static async Task<WorkloadUpdate> FirstWithIdentitiesAsync(IWorkloadSubscription subscription)
    {
        await foreach (var update in subscription.Updates.ReadAllAsync())
        {
            if (update.Identities.Count > 0)
            {
                return update;
            }
        }

        throw new InvalidOperationException("the subscription ended");
    }

    private IHost BuildHost(string joinToken)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services
            .AddAgentCore(new AgentOptions
            {
                TrustDomain = SpiffeServerProcess.TrustDomain,
                ServerAddress = "127.0.0.1",
                ServerPort = _server.Port,
                TrustBundlePath = _bootstrapBundle,
                DataDirectory = _dataDirectory,
                JoinToken = joinToken,
                SyncInterval = TimeSpan.FromMilliseconds(500),
                AgentVersion = "integration-test",
            })
            .AddSpireServerApi();
        return builder.Build();
    }
}
