using Microsoft.Extensions.Time.Testing;
using Spiffe.Agent.Core.Cache;
using Spiffe.Agent.Core.Node;
using Spiffe.Agent.Core.Sync;
using Spiffe.Core;

namespace Spiffe.Agent.Core.Tests.Fakes;

/// <summary>The agent back end wired to a <see cref="FakeSpireServer"/>, a fake clock and a temporary data directory.</summary>
internal sealed class AgentHarness : IDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    public static readonly TrustDomain TrustDomain = TrustDomain.Parse("example.org");

    private readonly bool _ownsDirectory;

    private AgentHarness(FakeTimeProvider time, FakeSpireServer server, AgentOptions options, bool ownsDirectory)
    {
        _ownsDirectory = ownsDirectory;
        Time = time;
        Server = server;
        Options = options;
        Random = new FixedRandom(0.5);
        Metrics = new AgentMetrics();
        Credentials = new AgentCredentials();
        Keys = AgentKeyManager.Create(options);
        Store = new AgentDataStore(options.DataDirectory);
        Node = new NodeSvidManager(options, server, Keys, Store, Credentials, time, Random, Metrics, NodeLogger);
        Jwt = new JwtSvidCache(options, server, time, Random, Metrics, JwtLogger);
        Cache = new WorkloadIdentityCache(options, Jwt, time, Metrics);
        Sync = new EntrySynchronizer(options, server, Cache, Node, time, Random, Metrics, new ListLogger<EntrySynchronizer>());
    }

    public FakeTimeProvider Time { get; }

    public FakeSpireServer Server { get; }

    public AgentOptions Options { get; }

    public FixedRandom Random { get; }

    public AgentMetrics Metrics { get; }

    public AgentCredentials Credentials { get; }

    public AgentKeyManager Keys { get; }

    public AgentDataStore Store { get; }

    public NodeSvidManager Node { get; }

    public JwtSvidCache Jwt { get; }

    public WorkloadIdentityCache Cache { get; }

    public EntrySynchronizer Sync { get; }

    public ListLogger<NodeSvidManager> NodeLogger { get; } = new();

    public ListLogger<JwtSvidCache> JwtLogger { get; } = new();

    public static AgentHarness Create(Action<AgentOptions>? configure = null)
    {
        var time = new FakeTimeProvider(Start);
        var server = new FakeSpireServer(time, TrustDomain);
        var directory = Directory.CreateTempSubdirectory("spiffe-agent-core-tests-").FullName;
        var options = new AgentOptions
        {
            TrustDomain = TrustDomain,
            ServerAddress = "localhost",
            ServerPort = 8081,
            InsecureBootstrap = true,
            DataDirectory = directory,
            JoinToken = "secret-join-token",
        };
        configure?.Invoke(options);
        return new AgentHarness(time, server, options, ownsDirectory: true);
    }

    /// <summary>A new agent process on the same data directory, server and clock.</summary>
    public AgentHarness Restart(Action<AgentOptions>? configure = null)
    {
        var options = new AgentOptions
        {
            TrustDomain = Options.TrustDomain,
            ServerAddress = Options.ServerAddress,
            ServerPort = Options.ServerPort,
            InsecureBootstrap = Options.InsecureBootstrap,
            TrustBundlePath = Options.TrustBundlePath,
            DataDirectory = Options.DataDirectory,
            JoinToken = Options.JoinToken,
            KeyManager = Options.KeyManager,
        };
        configure?.Invoke(options);
        return new AgentHarness(Time, Server, options, ownsDirectory: false);
    }

    /// <summary>Advances the fake clock in steps until the task completes (or a step limit is hit).</summary>
    public async Task DriveAsync(Task task, TimeSpan step, int maxSteps = 1000)
    {
        for (var i = 0; i < maxSteps && !task.IsCompleted; i++)
        {
            Time.Advance(step);
            await Task.Yield();
        }

        await task;
    }

    public void Dispose()
    {
        Cache.Dispose();
        Sync.Dispose();
        Node.Dispose();
        Metrics.Dispose();
        if (_ownsDirectory && Directory.Exists(Options.DataDirectory))
        {
            Directory.Delete(Options.DataDirectory, recursive: true);
        }
    }
}
