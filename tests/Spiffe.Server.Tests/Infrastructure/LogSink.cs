using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Spiffe.Server.Tests.Infrastructure;

/// <summary>An in-memory logger provider; tests assert on event names and check that no secret is logged.</summary>
public sealed class LogSink : ILoggerProvider
{
    private readonly ConcurrentQueue<CapturedLog> _records = new();

    /// <summary>Everything logged so far.</summary>
    public IReadOnlyList<CapturedLog> Records => [.. _records];

    /// <inheritdoc />
    public ILogger CreateLogger(string categoryName) => new SinkLogger(this, categoryName);

    /// <inheritdoc />
    public void Dispose()
    {
    }

    private sealed class SinkLogger(LogSink sink, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            sink._records.Enqueue(new CapturedLog(category, logLevel, eventId.Name, formatter(state, exception) + (exception is null ? string.Empty : " " + exception)));
    }
}
