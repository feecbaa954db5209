using Spiffe.Agent.Core.Cache;
using Spiffe.Agent.Core.Sync;

namespace Spiffe.Agent.Core.Tasks;

/// <summary><see cref="ITaskIdentityCache"/> over the agent's <see cref="WorkloadIdentityCache"/> and <see cref="EntrySynchronizer"/>.</summary>
internal sealed class TaskIdentityCache : ITaskIdentityCache
{
    private readonly WorkloadIdentityCache _cache;
    private readonly EntrySynchronizer _synchronizer;

    /// <summary>Creates the adapter.</summary>
    public TaskIdentityCache(WorkloadIdentityCache cache, EntrySynchronizer synchronizer)
    {
        _cache = cache ?? throw new ArgumentNullException(nameof(cache));
        _synchronizer = synchronizer ?? throw new ArgumentNullException(nameof(synchronizer));
    }

    /// <inheritdoc/>
    public Task SyncNowAsync(CancellationToken cancellationToken) => _synchronizer.SyncAsync(cancellationToken);

    /// <inheritdoc/>
    public int RevokeTask(string taskId, string reason)
    {
        ArgumentException.ThrowIfNullOrEmpty(taskId);
        var selector = TaskSelectors.Id(taskId);
        var ended = _cache.RevokeSubscriptions(selectors => selectors.Contains(selector), reason);
        _cache.RemoveEntries(_cache.GetEntries().Values.Where(e => e.Selectors.Contains(selector)).Select(e => e.Id).ToList());
        return ended;
    }

    /// <inheritdoc/>
    public IReadOnlyList<(string TaskId, string EntryId)> TaskEntries() =>
        _cache.GetEntries().Values
            .SelectMany(e => e.Selectors.Select(TaskSelectors.TaskIdOf).OfType<string>().Select(taskId => (taskId, e.Id)))
            .ToList();
}
