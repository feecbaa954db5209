using Microsoft.AspNetCore.Builder;
using Spiffe.Server.Config;
using Spiffe.Server.DataStore;

namespace Spiffe.Server.Hosting;

/// <summary>
/// The running server: one Kestrel instance with two listeners — the agent-facing gRPC API over TCP+TLS
/// (<c>bind_address:bind_port</c>) and the admin API over the Unix socket (<c>socket_path</c>, h2c) — plus the
/// optional health HTTP listener. <c>spiffe-server run</c> calls <see cref="RunAsync"/>; tests create, start, stop
/// and dispose instances.
/// </summary>
internal sealed class ServerHost : IAsyncDisposable
{
    private ServerHost(WebApplication app, ServerConfig config)
    {
        App = app;
        Config = config;
    }

    /// <summary>The application (not started until <see cref="StartAsync"/>).</summary>
    public WebApplication App { get; }

    /// <summary>The configuration the host runs with.</summary>
    public ServerConfig Config { get; }

    /// <summary>The host's services.</summary>
    public IServiceProvider Services => App.Services;

    /// <summary>The datastore (same instance the APIs use).</summary>
    public IDataStore DataStore => throw new NotImplementedException();

    /// <summary>The TCP port the agent API listens on (the real port after start when <c>bind_port</c> is 0).</summary>
    public int AgentApiPort => throw new NotImplementedException();

    /// <summary>The admin socket path.</summary>
    public string SocketPath => Config.SocketPath;

    /// <summary>
    /// Opens the datastore (running migrations), loads or creates the CA and JWT keys, and builds the application.
    /// </summary>
    /// <exception cref="InvalidOperationException">Start-up failed (e.g. unreadable key file); the message says why.</exception>
    public static Task<ServerHost> CreateAsync(ServerConfig config, ServerHostOptions? options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(config);
        _ = options;
        cancellationToken.ThrowIfCancellationRequested();
        var builder = WebApplication.CreateSlimBuilder();
        return Task.FromResult(new ServerHost(builder.Build(), config));
    }

    /// <summary>Creates and starts the server, runs until <paramref name="cancellationToken"/> fires, then stops it.</summary>
    public static async Task RunAsync(ServerConfig config, CancellationToken cancellationToken)
    {
        await using var host = await CreateAsync(config, null, cancellationToken);
        await host.StartAsync(cancellationToken);
        try
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, TimeProvider.System, cancellationToken);
        }
        catch (OperationCanceledException)
        {
        }

        await host.StopAsync(CancellationToken.None);
    }

    /// <summary>Starts the listeners and background work.</summary>
    public Task StartAsync(CancellationToken cancellationToken) => App.StartAsync(cancellationToken);

    /// <summary>Stops the listeners and background work.</summary>
    public Task StopAsync(CancellationToken cancellationToken) => App.StopAsync(cancellationToken);

    /// <inheritdoc />
    public ValueTask DisposeAsync() => App.DisposeAsync();
}
