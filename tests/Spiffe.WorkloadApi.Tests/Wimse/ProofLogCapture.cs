using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Spiffe.WorkloadApi.Tests.Wimse;

/// <summary>Keeps every log event (name and formatted message) so tests can assert on event names and on what is never logged.</summary>
internal sealed class ProofLogCapture : ILoggerProvider
{
    private readonly ConcurrentQueue<(string EventName, string Message)> events = new();

    public IReadOnlyList<(string EventName, string Message)> Events => [.. this.events];

    public ILogger CreateLogger(string categoryName) => new Logger(this.events);

    public void Dispose()
    {
    }

    private sealed class Logger : ILogger
    {
        private readonly ConcurrentQueue<(string, string)> events;

        public Logger(ConcurrentQueue<(string, string)> events)
        {
            this.events = events;
        }

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            this.events.Enqueue((eventId.Name ?? string.Empty, formatter(state, exception)));
    }
}
