using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Spiffe.Agent.Core.Cache;
using Spiffe.Agent.Core.Node;
using Spiffe.Agent.Core.Server;
using Spiffe.Agent.Core.Sync;
using Spiffe.Core;

namespace Spiffe.Agent.Core;

/// <summary>
/// The agent back end as a hosted service: establish the agent SVID, report the version, run the first sync (then
/// <see cref="IAgentStartup.Ready"/>), and run three loops under one cancellation: sync every
/// <see cref="AgentOptions.SyncInterval"/> (backoff while failing; cached SVIDs are still served), on-demand mints for
/// new subscribers, and agent SVID rotation checks every 5 s. When the agent must exit it signals
/// <see cref="IAgentStartup.MustExit"/> and stops the host.
/// </summary>
internal sealed class AgentService : BackgroundService
{
    /// <summary>How often the agent SVID is checked for rotation.</summary>
    public static readonly TimeSpan RotationCheckInterval = TimeSpan.FromSeconds(5);

    /// <summary>How long the first sync is retried before the agent gives up.</summary>
    public static readonly TimeSpan InitialSyncGiveUp = TimeSpan.FromMinutes(1);

    private static readonly TimeSpan s_maxSyncBackoff = TimeSpan.FromMinutes(8);
    private static readonly TimeSpan s_maxRotationBackoff = TimeSpan.FromMinutes(2);

    private readonly AgentOptions _options;
    private readonly NodeSvidManager _node;
    private readonly EntrySynchronizer _synchronizer;
    private readonly WorkloadIdentityCache _cache;
    private readonly ISpireServerClient _client;
    private readonly AgentStartup _startup;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly TimeProvider _timeProvider;
    private readonly Random _random;
    private readonly ILogger<AgentService> _logger;

    /// <summary>Creates the service.</summary>
    public AgentService(
        AgentOptions options,
        NodeSvidManager node,
        EntrySynchronizer synchronizer,
        WorkloadIdentityCache cache,
        ISpireServerClient client,
        AgentStartup startup,
        IHostApplicationLifetime lifetime,
        TimeProvider timeProvider,
        Random random,
        ILogger<AgentService> logger)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _node = node ?? throw new ArgumentNullException(nameof(node));
        _synchronizer = synchronizer ?? throw new ArgumentNullException(nameof(synchronizer));
        _cache = cache ?? throw new ArgumentNullException(nameof(cache));
        _client = client ?? throw new ArgumentNullException(nameof(client));
        _startup = startup ?? throw new ArgumentNullException(nameof(startup));
        _lifetime = lifetime ?? throw new ArgumentNullException(nameof(lifetime));
        _timeProvider = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        _random = random ?? throw new ArgumentNullException(nameof(random));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await _node.InitializeAsync(stoppingToken);
            await InitializeManagerAsync(stoppingToken);
            using var syncTimer = new PeriodicTimer(_options.SyncInterval, _timeProvider);
            using var rotationTimer = new PeriodicTimer(RotationCheckInterval, _timeProvider);
            _startup.SetReady();
            await RunLoopsAsync(syncTimer, rotationTimer, stoppingToken);
        }
        catch (AgentMustExitException ex)
        {
            AgentCoreLog.AgentMustExit(_logger, ex.Request.Reason, ex.Request.Message);
            _startup.SetMustExit(ex.Request);
            _lifetime.StopApplication();
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            _startup.SetStopped();
        }
    }

    /// <inheritdoc/>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        _startup.SetStopped();
    }

    private static AgentMustExitException MustExit(AgentExitReason reason, string message, Exception cause) =>
        new(new AgentExitRequest(reason, message), cause);

    private async Task InitializeManagerAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _client.PostStatusAsync(_options.AgentVersion, cancellationToken);
        }
        catch (SpireServerException ex)
        {
            AgentCoreLog.PostStatusFailed(_logger, ex.Message);
        }

        var started = _timeProvider.GetUtcNow();
        var backoff = new Backoff(NodeSvidManager.AttestationInitialBackoff, s_maxRotationBackoff, _random);
        while (true)
        {
            try
            {
                var changes = await _synchronizer.SyncAsync(cancellationToken);
                AgentCoreLog.AgentReady(_logger, changes.Total);
                return;
            }
            catch (SpireServerException ex)
            {
                if (await _node.TryHandleServerErrorAsync(ex, cancellationToken))
                {
                    continue;
                }

                var delay = backoff.Next();
                if (_timeProvider.GetUtcNow() - started + delay > InitialSyncGiveUp)
                {
                    throw MustExit(AgentExitReason.InitialSyncFailed, "the first sync with the server kept failing; last error: " + ex.Message, ex);
                }

                AgentCoreLog.SyncFailed(_logger, ex.Message, delay);
                await Task.Delay(delay, _timeProvider, cancellationToken);
            }
        }
    }

    private async Task RunLoopsAsync(PeriodicTimer syncTimer, PeriodicTimer rotationTimer, CancellationToken stoppingToken)
    {
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        Task[] loops =
        [
            SyncLoopAsync(syncTimer, cancellation.Token),
            MintLoopAsync(cancellation.Token),
            RotationLoopAsync(rotationTimer, cancellation.Token),
        ];
        var first = await Task.WhenAny(loops);
        await cancellation.CancelAsync();
        await Task.WhenAll(loops).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await first;
    }

    private async Task SyncLoopAsync(PeriodicTimer timer, CancellationToken cancellationToken)
    {
        var maximum = _options.SyncInterval * 48 < s_maxSyncBackoff ? _options.SyncInterval * 48 : s_maxSyncBackoff;
        var backoff = new Backoff(_options.SyncInterval, maximum, _random);
        while (await timer.WaitForNextTickAsync(cancellationToken))
        {
            try
            {
                await _synchronizer.SyncAsync(cancellationToken);
                backoff.Reset();
            }
            catch (SpireServerException ex)
            {
                if (await _node.TryHandleServerErrorAsync(ex, cancellationToken))
                {
                    continue;
                }

                var delay = backoff.Next();
                AgentCoreLog.SyncFailed(_logger, ex.Message, delay);
                await Task.Delay(delay, _timeProvider, cancellationToken);
            }
        }
    }

    private async Task MintLoopAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            await _cache.WaitForMintRequestAsync(cancellationToken);
            try
            {
                await _synchronizer.MintAsync(cancellationToken);
            }
            catch (SpireServerException ex)
            {
                if (!await _node.TryHandleServerErrorAsync(ex, cancellationToken))
                {
                    AgentCoreLog.MintFailed(_logger, ex.Message);
                }
            }
        }
    }

    private async Task RotationLoopAsync(PeriodicTimer timer, CancellationToken cancellationToken)
    {
        var backoff = new Backoff(RotationCheckInterval, s_maxRotationBackoff, _random);
        while (await timer.WaitForNextTickAsync(cancellationToken))
        {
            try
            {
                await _node.RotateIfNeededAsync(cancellationToken);
                backoff.Reset();
            }
            catch (Exception ex) when (ex is SpireServerException or X509SvidException)
            {
                if (ex is SpireServerException serverError && await _node.TryHandleServerErrorAsync(serverError, cancellationToken))
                {
                    continue;
                }

                if (_node.IsAgentSvidExpired())
                {
                    throw MustExit(AgentExitReason.AgentSvidExpired, "the agent SVID expired and could not be rotated; last error: " + ex.Message, ex);
                }

                var delay = backoff.Next();
                AgentCoreLog.AgentSvidRotationFailed(_logger, ex.Message, delay);
                await Task.Delay(delay, _timeProvider, cancellationToken);
            }
        }
    }
}
