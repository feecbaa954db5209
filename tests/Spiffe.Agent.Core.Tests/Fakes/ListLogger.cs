using Microsoft.Extensions.Logging;

namespace Spiffe.Agent.Core.Tests.Fakes;

/// <summary>A logger that records every event (level, event name, formatted message).</summary>
internal sealed class ListLogger<T> : ILogger<T>
{
    private readonly Lock _lock = new();
    private readonly List<(LogLevel Level, string EventName, string Message)> _events = [];
    private readonly List<(string EventName, int Occurrence, TaskCompletionSource Signal)> _waiters = [];

    public IReadOnlyList<(LogLevel Level, string EventName, string Message)> Events
    {
        get
        {
            lock (_lock)
            {
                return [.. _events];
            }
        }
    }

    public IReadOnlyList<string> EventNames => Events.Select(e => e.EventName).ToList();

    /// <summary>Completes once the event has been logged <paramref name="occurrence"/> times.</summary>
    public Task WaitForEventAsync(string eventName, int occurrence = 1)
    {
        lock (_lock)
        {
            if (_events.Count(e => e.EventName == eventName) >= occurrence)
            {
                return Task.CompletedTask;
            }

            var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((eventName, occurrence, signal));
            return signal.Task;
        }
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        lock (_lock)
        {
            _events.Add((logLevel, eventId.Name ?? string.Empty, formatter(state, exception)));
            foreach (var waiter in _waiters.Where(w => _events.Count(e => e.EventName == w.EventName) >= w.Occurrence).ToList())
            {
                _waiters.Remove(waiter);
                waiter.Signal.SetResult();
            }
        }
    }
}
