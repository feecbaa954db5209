using Microsoft.Extensions.Logging;

namespace Spiffe.Agent.Core.Tests.Fakes;

/// <summary>A logger that records every event (level, event name, formatted message).</summary>
internal sealed class ListLogger<T> : ILogger<T>
{
    private readonly Lock _lock = new();
    private readonly List<(LogLevel Level, string EventName, string Message)> _events = [];

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

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        lock (_lock)
        {
            _events.Add((logLevel, eventId.Name ?? string.Empty, formatter(state, exception)));
        }
    }
}
