using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Spiffe.Agent.Endpoints.Tests.Infrastructure;

/// <summary>Keeps every log event (name and formatted message) so tests can assert on event names.</summary>
internal sealed class CapturingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<(string EventName, LogLevel Level, string Message)> _events = new();

    public IReadOnlyList<(string EventName, LogLevel Level, string Message)> Events => [.. _events];

    public ILogger CreateLogger(string categoryName) => new Logger(_events);

    public void Dispose()
    {
    }

    private sealed class Logger(ConcurrentQueue<(string, LogLevel, string)> events) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            events.Enqueue((eventId.Name ?? string.Empty, logLevel, formatter(state, exception)));
    }
}
