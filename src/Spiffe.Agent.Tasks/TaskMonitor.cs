using System.Runtime.Versioning;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Spiffe.Agent.Tasks.Revocation;

namespace Spiffe.Agent.Tasks;

/// <summary>
/// Supervises the active tasks: every <see cref="TaskOptions.MonitorInterval"/> (150 ms by default, at most 500 ms) it
/// ends tasks whose deadline passed, whose main process exited or whose cgroup emptied, removes emptied cgroups of
/// ended tasks, and prunes the revocation list. Ends surface as <see cref="TaskEnded"/> on <see cref="TaskManager.Watch"/>,
/// so a task's credentials are revoked within one second of its end event.
/// </summary>
[SupportedOSPlatform("linux")]
internal sealed class TaskMonitor : BackgroundService
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(5);

    private readonly TaskManager manager;
    private readonly RevocationList revocations;
    private readonly TimeSpan interval;
    private readonly TimeProvider timeProvider;
    private readonly ILogger<TaskMonitor> logger;

    public TaskMonitor(
        TaskManager manager,
        RevocationList revocations,
        IOptions<TaskOptions> options,
        TimeProvider timeProvider,
        ILogger<TaskMonitor> logger)
    {
        ArgumentNullException.ThrowIfNull(manager);
        ArgumentNullException.ThrowIfNull(revocations);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        this.manager = manager;
        this.revocations = revocations;
        interval = options.Value.MonitorInterval;
        this.timeProvider = timeProvider;
        this.logger = logger;
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(interval, timeProvider);
        var failures = 0;
        do
        {
            try
            {
                await manager.CheckTasksAsync(stoppingToken);
                revocations.Prune();
                failures = 0;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                failures++;
                var delay = TimeSpan.FromTicks(Math.Min(MaxBackoff.Ticks, interval.Ticks << Math.Min(failures, 10)));
                TaskLog.MonitorFailed(logger, ex, delay);
                await Task.Delay(delay, timeProvider, stoppingToken);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
