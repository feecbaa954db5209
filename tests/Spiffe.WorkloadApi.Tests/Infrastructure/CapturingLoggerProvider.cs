using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Spiffe.WorkloadApi.Tests.Infrastructure;

/// <summary>Collects every log entry (event name, rendered message, exception) for assertions.</summary>
internal sealed class CapturingLoggerProvider : ILoggerProvider, ILoggerFactory
{
    public ConcurrentQueue<(string? EventName, string Message, Exception? Exception)> Entries { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
    }

    public IReadOnlyList<string> MessagesFor(string eventName) =>
        [.. this.Entries.Where(e => e.EventName == eventName).Select(e => e.Message)];

    private sealed class Logger : ILogger
    {
        private readonly CapturingLoggerProvider owner;

        public Logger(CapturingLoggerProvider owner)
        {
            this.owner = owner;
        }

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            this.owner.Entries.Enqueue((eventId.Name, formatter(state, exception), exception));
    }
}
