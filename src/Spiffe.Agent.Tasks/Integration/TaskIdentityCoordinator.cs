using System.Runtime.Versioning;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Spiffe.Agent.Core;
using Spiffe.Agent.Core.Server;
using Spiffe.Agent.Core.Tasks;
using Spiffe.Agent.Tasks.Revocation;

namespace Spiffe.Agent.Tasks.Integration;

/// <summary>
/// Keeps the rest of the agent in step with the task leases, once the agent is ready:
/// <list type="bullet">
/// <item>a task end (any reason) withdraws its identities from the cache at once (open streams of its processes end with
/// <c>PermissionDenied</c>, its SVIDs are dropped) and queues the deletion of its entry on the server;</item>
/// <item>every local revocation is published to the server's relay as it happens (retried until accepted);</item>
/// <item>every sync interval, the relay's new revocations (other agents' tasks) are merged into the revocation list, and
/// task entries in the cache whose task is not active (missed deletions, tasks lost over a restart) are deleted.</item>
/// </list>
/// </summary>
[SupportedOSPlatform("linux")]
internal sealed class TaskIdentityCoordinator : BackgroundService
{
    private readonly TaskManager manager;
    private readonly TaskControl control;
    private readonly RevocationList revocations;
    private readonly ITaskIdentityCache cache;
    private readonly ITaskEntryRegistrar registrar;
    private readonly IRevocationRelay relay;
    private readonly IAgentStartup startup;
    private readonly TimeSpan interval;
    private readonly TimeProvider timeProvider;
    private readonly ILogger<TaskIdentityCoordinator> logger;
    private readonly Lock gate = new();
    private readonly Channel<(string EntryId, string TaskId)> deletes = Channel.CreateUnbounded<(string, string)>();
    private readonly Channel<bool> publishSignal =
        Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly HashSet<string> queuedDeletes = new(StringComparer.Ordinal);
    private readonly HashSet<(CredentialKind, string)> imported = [];
    private readonly List<RevocationNotice> toPublish = [];
    private ulong relaySequence;
    private bool relayWarned;

    public TaskIdentityCoordinator(
        TaskManager manager,
        TaskControl control,
        RevocationList revocations,
        ITaskIdentityCache cache,
        ITaskEntryRegistrar registrar,
        IRevocationRelay relay,
        IAgentStartup startup,
        AgentOptions agentOptions,
        TimeProvider timeProvider,
        ILogger<TaskIdentityCoordinator> logger)
    {
        ArgumentNullException.ThrowIfNull(manager);
        ArgumentNullException.ThrowIfNull(control);
        ArgumentNullException.ThrowIfNull(revocations);
        ArgumentNullException.ThrowIfNull(cache);
        ArgumentNullException.ThrowIfNull(registrar);
        ArgumentNullException.ThrowIfNull(relay);
        ArgumentNullException.ThrowIfNull(startup);
        ArgumentNullException.ThrowIfNull(agentOptions);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        this.manager = manager;
        this.control = control;
        this.revocations = revocations;
        this.cache = cache;
        this.registrar = registrar;
        this.relay = relay;
        this.startup = startup;
        interval = agentOptions.SyncInterval;
        this.timeProvider = timeProvider;
        this.logger = logger;
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await startup.Ready.WaitAsync(stoppingToken);
        }
        catch (Exception) when (!startup.Ready.IsCompletedSuccessfully)
        {
            return;
        }

        await Task.WhenAll(
            WatchTasksAsync(stoppingToken),
            WatchRevocationsAsync(stoppingToken),
            DeleteEntriesAsync(stoppingToken),
            PublishAsync(stoppingToken),
            PeriodicAsync(stoppingToken)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private async Task WatchTasksAsync(CancellationToken cancellationToken)
    {
        await foreach (var item in manager.Watch(cancellationToken))
        {
            if (item is not TaskEnded ended)
            {
                continue;
            }

            var reason = TaskManager.ReasonName(ended.Reason);
            var streams = cache.RevokeTask(ended.TaskId, TaskControl.RevocationMessage(ended.TaskId, reason));
            TaskIntegrationLog.IdentitiesWithdrawn(logger, ended.TaskId, reason, streams);
            if (ended.Lease.EntryId is { } entryId)
            {
                QueueDelete(entryId, ended.TaskId);
            }
        }
    }

    private async Task WatchRevocationsAsync(CancellationToken cancellationToken)
    {
        await foreach (var item in revocations.Watch(cancellationToken))
        {
            lock (gate)
            {
                toPublish.AddRange(item.Credentials.Where(c => !imported.Contains((c.Kind, c.Id))).Select(RevocationAdapter.ToNotice));
            }

            publishSignal.Writer.TryWrite(true);
        }
    }

    private async Task PublishAsync(CancellationToken cancellationToken)
    {
        await foreach (var unused in publishSignal.Reader.ReadAllAsync(cancellationToken))
        {
            List<RevocationNotice> batch;
            lock (gate)
            {
                batch = [.. toPublish];
            }

            if (batch.Count == 0)
            {
                continue;
            }

            try
            {
                await relay.PublishAsync(batch, cancellationToken);
                lock (gate)
                {
                    toPublish.RemoveRange(0, batch.Count);
                }

                TaskIntegrationLog.RevocationsPublished(logger, batch.Count);
            }
            catch (SpireServerException ex)
            {
                WarnRelay(ex);
            }
        }
    }

    private async Task DeleteEntriesAsync(CancellationToken cancellationToken)
    {
        await foreach (var (entryId, taskId) in deletes.Reader.ReadAllAsync(cancellationToken))
        {
            try
            {
                await registrar.DeleteAsync(entryId, cancellationToken);
                TaskIntegrationLog.StaleEntryRemoved(logger, entryId, taskId);
            }
            catch (Exception ex) when (ex is SpireServerException or TaskControlException)
            {
                TaskIntegrationLog.EntryDeleteFailed(logger, entryId, taskId, ex.Message);
            }
            finally
            {
                lock (gate)
                {
                    queuedDeletes.Remove(entryId);
                }
            }
        }
    }

    private async Task PeriodicAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(interval, timeProvider);
        do
        {
            try
            {
                await FetchRelayedAsync(cancellationToken);
                publishSignal.Writer.TryWrite(true);
                RemoveStaleEntries();
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                TaskIntegrationLog.CoordinatorFailed(logger, ex);
            }
        }
        while (await timer.WaitForNextTickAsync(cancellationToken));
    }

    private async Task FetchRelayedAsync(CancellationToken cancellationToken)
    {
        RelayPage page;
        try
        {
            page = await relay.ListAsync(relaySequence, cancellationToken);
        }
        catch (SpireServerException ex)
        {
            WarnRelay(ex);
            return;
        }

        var incoming = page.Revoked.Select(RevocationAdapter.FromNotice).ToList();
        lock (gate)
        {
            imported.UnionWith(incoming.Select(c => (c.Kind, c.Id)));
        }

        var added = revocations.Import(incoming);
        relaySequence = page.Sequence;
        if (added.Count > 0)
        {
            TaskIntegrationLog.RevocationsImported(logger, added.Count);
        }
    }

    private void RemoveStaleEntries()
    {
        var active = manager.List().Select(l => l.EntryId).OfType<string>().ToHashSet(StringComparer.Ordinal);
        foreach (var (taskId, entryId) in cache.TaskEntries())
        {
            if (!active.Contains(entryId) && !control.IsPending(entryId))
            {
                QueueDelete(entryId, taskId);
            }
        }
    }

    private void QueueDelete(string entryId, string taskId)
    {
        lock (gate)
        {
            if (queuedDeletes.Add(entryId))
            {
                deletes.Writer.TryWrite((entryId, taskId));
            }
        }
    }

    private void WarnRelay(SpireServerException exception)
    {
        if (!relayWarned)
        {
            relayWarned = true;
            TaskIntegrationLog.RelayUnavailable(logger, exception.Message);
        }
    }
}
