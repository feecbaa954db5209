using System.Threading.Channels;

namespace Spiffe.Agent.Tasks.Tests.TestSupport;

/// <summary>Consumes <see cref="TaskManager.Watch"/> in the background so tests can await specific events.</summary>
internal sealed class TaskEventRecorder : IAsyncDisposable
{
    private readonly CancellationTokenSource stop = new();
    private readonly Channel<TaskEvent> events = Channel.CreateUnbounded<TaskEvent>();
    private readonly Task pump;

    public TaskEventRecorder(TaskManager manager)
    {
        pump = PumpAsync(manager);
    }

    /// <summary>Waits for the next event about <paramref name="taskId"/> of type <typeparamref name="T"/>.</summary>
    public async Task<T> NextAsync<T>(string taskId)
        where T : TaskEvent
    {
        using var timeout = new CancellationTokenSource(Wait.Generous, TimeProvider.System);
        while (true)
        {
            var item = await events.Reader.ReadAsync(timeout.Token);
            if (item is T match && match.Lease.TaskId == taskId)
            {
                return match;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        try
        {
            await pump;
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }

        stop.Dispose();
    }

    private async Task PumpAsync(TaskManager manager)
    {
        await foreach (var item in manager.Watch(stop.Token))
        {
            events.Writer.TryWrite(item);
        }
    }
}
