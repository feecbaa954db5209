using Microsoft.Extensions.Logging;

namespace Spiffe.Agent.Tasks.Tests.TestSupport;

/// <summary>Captures log entries so tests can assert on event names.</summary>
internal sealed class ListLogger<T> : ILogger<T>
{
    private readonly List<(string EventName, LogLevel Level, string Message)> entries = [];

    public IReadOnlyList<string> EventNames
    {
        get
        {
            lock (entries)
            {
                return entries.Select(e => e.EventName).ToArray();
            }
        }
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        lock (entries)
        {
            entries.Add((eventId.Name ?? string.Empty, logLevel, formatter(state, exception)));
        }
    }
}
