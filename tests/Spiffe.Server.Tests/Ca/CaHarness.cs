using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Spiffe.Server.Ca;
using Spiffe.Server.Config;
using Spiffe.Server.DataStore;
using Spiffe.Server.Tests.Infrastructure;

namespace Spiffe.Server.Tests.Ca;

/// <summary>A CA manager on a real SQLite datastore in a temp directory, driven by a fake clock.</summary>
internal sealed class CaHarness : IDisposable
{
    private readonly TempDirectory _directory = new();

    private CaHarness(ServerConfig config, IKeyManager keys, UpstreamAuthority? upstream)
    {
        Config = config;
        Keys = keys;
        Upstream = upstream;
        Clock = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        Store = SqliteDataStore.Open(_directory.File("ds.sqlite3"), Clock, NullLogger.Instance);
        Manager = new CaManager(config, keys, Store, Store, upstream, Clock, NullLogger<CaManager>.Instance);
        Signer = new CredentialSigner(Manager, config, Clock);
    }

    public ServerConfig Config { get; }

    public IKeyManager Keys { get; }

    public UpstreamAuthority? Upstream { get; }

    public FakeTimeProvider Clock { get; }

    public SqliteDataStore Store { get; }

    public CaManager Manager { get; }

    public CredentialSigner Signer { get; }

    public static async Task<CaHarness> StartAsync(Func<ServerConfig, ServerConfig>? configure = null, UpstreamAuthority? upstream = null)
    {
        var config = new ServerConfig
        {
            TrustDomain = TestServer.TrustDomain,
            DataStore = new DataStoreConfig("unused"),
            CaTtl = TimeSpan.FromHours(1),
            DefaultX509SvidTtl = TimeSpan.FromMinutes(5),
        };
        config = configure?.Invoke(config) ?? config;
        var harness = new CaHarness(config, new MemoryKeyManager(), upstream);
        await harness.Manager.InitializeAsync(CancellationToken.None).DefaultTimeout();
        return harness;
    }

    public async Task<BundleRecord> BundleAsync() =>
        (await Store.GetBundleAsync(Config.TrustDomain, CancellationToken.None).DefaultTimeout())!;

    public void Dispose()
    {
        Manager.Dispose();
        Store.Dispose();
        _directory.Dispose();
    }
}
