using Microsoft.Extensions.Hosting;

namespace Spiffe.Agent.Core.Wit;

/// <summary>Runs <see cref="WitSvidCache.RunAsync"/> (mints for subscribers, rotations, clean-up) for the agent's lifetime.</summary>
internal sealed class WitMaintenanceService : BackgroundService
{
    private readonly WitSvidCache _cache;

    /// <summary>Creates the service.</summary>
    public WitMaintenanceService(WitSvidCache cache)
    {
        _cache = cache ?? throw new ArgumentNullException(nameof(cache));
    }

    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await _cache.RunAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
