using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Grpc.Net.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Spiffe.Core;
using Spiffe.Server.Ca;
using Spiffe.Server.Config;
using Spiffe.Server.DataStore;
using Spiffe.Server.Hosting;

namespace Spiffe.Server.Tests.Infrastructure;

/// <summary>
/// A running <c>spiffe-server</c> on a temporary directory: SQLite file, disk key manager, admin socket, agent API on
/// an ephemeral loopback TLS port. Build a <see cref="ServerConfig"/> with <see cref="DefaultConfig"/> (and
/// <c>with { … }</c>), start with <c>StartAsync</c>, and talk to it through <see cref="CreateAgentChannel"/>
/// (TLS as an agent does: chain to the bundle and ID <c>spiffe://td/spire/server</c>) or
/// <see cref="CreateAdminChannel"/> (the Unix socket). <see cref="RestartAsync"/> stops and re-creates the host on the
/// same files.
/// </summary>
internal sealed class TestServer : IAsyncDisposable
{
    /// <summary>The trust domain of <see cref="DefaultConfig"/>.</summary>
    public static readonly TrustDomain TrustDomain = TrustDomain.Parse("example.org");

    private readonly TempDirectory? _ownedDirectory;
    private readonly ServerHostOptions _options;

    private TestServer(ServerHost host, ServerConfig config, ServerHostOptions options, TempDirectory? ownedDirectory, LogSink logs)
    {
        Host = host;
        Config = config;
        _options = options;
        _ownedDirectory = ownedDirectory;
        Logs = logs;
    }

    /// <summary>The host.</summary>
    public ServerHost Host { get; private set; }

    /// <summary>The configuration the server runs with.</summary>
    public ServerConfig Config { get; }

    /// <summary>Captured logs (all levels).</summary>
    public LogSink Logs { get; }

    /// <summary>The fake clock, when the server was started with one.</summary>
    public FakeTimeProvider? FakeTime => _options.TimeProvider as FakeTimeProvider;

    /// <summary>The server's clock.</summary>
    public TimeProvider Time => _options.TimeProvider;

    /// <summary>The datastore.</summary>
    public IDataStore DataStore => Host.DataStore;

    /// <summary>The CA manager.</summary>
    public CaManager Ca => Host.Ca;

    /// <summary>The agent API port.</summary>
    public int Port => Host.AgentApiPort;

    /// <summary>The admin socket.</summary>
    public string SocketPath => Host.SocketPath;

    /// <summary>The data directory.</summary>
    public string Directory => Config.DataDir;

    /// <summary>The server's SPIFFE ID.</summary>
    public SpiffeId ServerId => SpiffeId.FromPath(Config.TrustDomain, "/spire/server");

    /// <summary>A configuration for a server whose files all live in <paramref name="directory"/>.</summary>
    public static ServerConfig DefaultConfig(string directory) => new()
    {
        TrustDomain = TrustDomain,
        BindAddress = "127.0.0.1",
        BindPort = 0,
        SocketPath = Path.Combine(directory, "api.sock"),
        DataDir = directory,
        LogLevel = LogLevel.Debug,
        DataStore = new DataStoreConfig(Path.Combine(directory, "datastore.sqlite3")),
        KeyManager = new KeyManagerConfig(KeyManagerKind.Disk, Path.Combine(directory, "keys.json")),
        JoinTokenAttestor = true,
    };

    /// <summary>Starts a server with <see cref="DefaultConfig"/> in a new temporary directory (deleted on dispose).</summary>
    public static async Task<TestServer> StartAsync(Func<ServerConfig, ServerConfig>? configure = null, TimeProvider? timeProvider = null, bool backgroundRotation = false)
    {
        var directory = new TempDirectory();
        try
        {
            var config = DefaultConfig(directory.Path);
            config = configure?.Invoke(config) ?? config;
            return await StartAsync(config, timeProvider, backgroundRotation, directory);
        }
        catch
        {
            directory.Dispose();
            throw;
        }
    }

    /// <summary>Starts a server with <paramref name="config"/>; its files are not deleted on dispose.</summary>
    public static Task<TestServer> StartAsync(ServerConfig config, TimeProvider? timeProvider = null, bool backgroundRotation = false) =>
        StartAsync(config, timeProvider, backgroundRotation, null);

    /// <summary>Creates a join token directly in the datastore; returns its value.</summary>
    public async Task<string> CreateJoinTokenAsync(TimeSpan? ttl = null, SpiffeId? agentId = null)
    {
        var token = Guid.NewGuid().ToString();
        var expires = Time.GetUtcNow() + (ttl ?? TimeSpan.FromMinutes(10));
        await DataStore.CreateJoinTokenAsync(new JoinToken(token, expires.ToUnixTimeSeconds(), agentId), CancellationToken.None).DefaultTimeout();
        return token;
    }

    /// <summary>Creates an entry directly in the datastore.</summary>
    public Task<RegistrationEntry> CreateEntryAsync(SpiffeId spiffeId, SpiffeId parentId, params string[] selectors) =>
        DataStore.CreateEntryAsync(
            new RegistrationEntry { SpiffeId = spiffeId, ParentId = parentId, Selectors = [.. selectors.Select(Selector.Parse)] },
            CancellationToken.None).DefaultTimeout();

    /// <summary>The own bundle's X.509 roots.</summary>
    public async Task<X509Certificate2Collection> GetTrustAnchorsAsync()
    {
        var bundle = await DataStore.GetBundleAsync(Config.TrustDomain, CancellationToken.None).DefaultTimeout()
            ?? throw new InvalidOperationException("no bundle");
        return [.. bundle.X509Authorities.Select(a => X509CertificateLoader.LoadCertificate(a.Der))];
    }

    /// <summary>
    /// A channel to the agent API that authenticates the server as an agent does (chain to <paramref name="trustAnchors"/>,
    /// leaf ID <c>spiffe://td/spire/server</c>, at the server's clock), optionally presenting a client SVID.
    /// </summary>
    public GrpcChannel CreateAgentChannel(X509Certificate2Collection trustAnchors, X509Certificate2? clientCertificate = null, IEnumerable<X509Certificate2>? clientIntermediates = null)
    {
        var serverId = ServerId.ToString();
        var time = Time;
        var ssl = new SslClientAuthenticationOptions
        {
            TargetHost = "127.0.0.1",
            RemoteCertificateValidationCallback = (_, certificate, presented, _) =>
                certificate is X509Certificate2 leaf && ValidateServer(leaf, presented, trustAnchors, serverId, time.GetUtcNow()),
        };
        if (clientCertificate is not null)
        {
            var intermediates = new X509Certificate2Collection();
            intermediates.AddRange(clientIntermediates?.ToArray() ?? []);
            ssl.ClientCertificateContext = SslStreamCertificateContext.Create(clientCertificate, intermediates, offline: true);
        }

        var handler = new SocketsHttpHandler { SslOptions = ssl, EnableMultipleHttp2Connections = true };
        return GrpcChannel.ForAddress($"https://127.0.0.1:{Port}", new GrpcChannelOptions
        {
            HttpHandler = handler,
            MaxReceiveMessageSize = 64 * 1024 * 1024,
            DisposeHttpClient = true,
        });
    }

    /// <summary>A channel to the admin API over the Unix socket (h2c).</summary>
    public GrpcChannel CreateAdminChannel() => CreateUnixChannel(SocketPath);

    /// <summary>A channel over a Unix socket (h2c).</summary>
    public static GrpcChannel CreateUnixChannel(string socketPath)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        return GrpcChannel.ForAddress("http://localhost", new GrpcChannelOptions { HttpHandler = handler, DisposeHttpClient = true });
    }

    /// <summary>Stops the host and creates a new one on the same files and configuration (an in-process restart).</summary>
    public async Task RestartAsync()
    {
        await Host.StopAsync(CancellationToken.None).DefaultTimeout();
        await Host.DisposeAsync().DefaultTimeout();
        Host = await ServerHost.CreateAsync(Config, _options, CancellationToken.None).DefaultTimeout();
        await Host.StartAsync(CancellationToken.None).DefaultTimeout();
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        try
        {
            await Host.StopAsync(CancellationToken.None).DefaultTimeout();
        }
        finally
        {
            await Host.DisposeAsync().DefaultTimeout();
            _ownedDirectory?.Dispose();
        }
    }

    private static bool ValidateServer(X509Certificate2 leaf, X509Chain? presented, X509Certificate2Collection trustAnchors, string serverId, DateTimeOffset now)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = now.UtcDateTime;
        chain.ChainPolicy.CustomTrustStore.AddRange(trustAnchors);
        if (presented is not null)
        {
            chain.ChainPolicy.ExtraStore.AddRange(presented.ChainPolicy.ExtraStore);
        }

        var uris = SanEncoder.ReadUris(leaf);
        return chain.Build(leaf) && uris.Count == 1 && uris[0] == serverId;
    }

    private static async Task<TestServer> StartAsync(ServerConfig config, TimeProvider? timeProvider, bool backgroundRotation, TempDirectory? directory)
    {
        var logs = new LogSink();
        var options = new ServerHostOptions
        {
            TimeProvider = timeProvider ?? TimeProvider.System,
            RunBackgroundRotation = backgroundRotation,
            ConfigureLogging = logging => logging.AddProvider(logs),
        };
        var host = await ServerHost.CreateAsync(config, options, CancellationToken.None).DefaultTimeout();
        try
        {
            await host.StartAsync(CancellationToken.None).DefaultTimeout();
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }

        return new TestServer(host, config, options, directory, logs);
    }
}
