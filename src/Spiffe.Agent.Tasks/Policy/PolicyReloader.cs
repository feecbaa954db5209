using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Spiffe.Agent.Tasks.Policy;

/// <summary>Re-reads the policy directory every <see cref="PolicyOptions.ReloadInterval"/>.</summary>
/// <remarks>
/// Polling rather than <c>FileSystemWatcher</c>: it is driven by <see cref="TimeProvider"/>, sees edits made through
/// any path (bind mounts, ConfigMap symlink swaps), and costs a directory listing plus a read of a few small files.
/// </remarks>
internal sealed class PolicyReloader : BackgroundService
{
    private readonly PolicyEngine engine;
    private readonly TimeSpan interval;
    private readonly TimeProvider timeProvider;
    private readonly ILogger<PolicyReloader> logger;

    public PolicyReloader(PolicyEngine engine, IOptions<PolicyOptions> options, TimeProvider timeProvider, ILogger<PolicyReloader> logger)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        this.engine = engine;
        interval = options.Value.ReloadInterval;
        this.timeProvider = timeProvider;
        this.logger = logger;
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(interval, timeProvider);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                engine.Reload();
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                PolicyLog.ReloadFailed(logger, ex);
            }
        }
    }
}
