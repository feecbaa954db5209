using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Spiffe.Server.Api;
using Spiffe.Server.Ca;
using Spiffe.Server.DataStore;

namespace Spiffe.Server.Hosting;

/// <summary>
/// Periodic work: CA and signing-key rotation every <see cref="Interval"/>, and pruning of expired join tokens,
/// entries, relayed revocations and admin SVID records. Errors are logged and retried on the next tick.
/// </summary>
internal sealed class MaintenanceService : BackgroundService
{
    /// <summary>How often rotation is checked.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    private readonly CaManager _ca;
    private readonly IDataStore _store;
    private readonly IRevocationRelayStore _revocations;
    private readonly IAdminSvidStore _adminSvids;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;

    /// <summary>Creates the service.</summary>
    public MaintenanceService(CaManager ca, IDataStore store, IRevocationRelayStore revocations, IAdminSvidStore adminSvids, TimeProvider timeProvider, ILogger<MaintenanceService> logger)
    {
        _ca = ca ?? throw new ArgumentNullException(nameof(ca));
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _revocations = revocations ?? throw new ArgumentNullException(nameof(revocations));
        _adminSvids = adminSvids ?? throw new ArgumentNullException(nameof(adminSvids));
        _timeProvider = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    /// <summary>One maintenance pass.</summary>
    public async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        await _ca.RotateAsync(cancellationToken);
        var now = _timeProvider.GetUtcNow().ToUnixTimeSeconds();
        await _store.PruneJoinTokensAsync(now, cancellationToken);
        await _store.PruneEntriesAsync(now, cancellationToken);
        var revocations = await _revocations.PruneRevocationsAsync(now, cancellationToken);
        if (revocations > 0)
        {
            TaskIdentityLog.RevocationsPruned(_logger, revocations);
        }

        await _adminSvids.PruneAdminSvidsAsync(now, cancellationToken);
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, _timeProvider);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await RunOnceAsync(stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    CaLog.RotationFailed(_logger, ex);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
