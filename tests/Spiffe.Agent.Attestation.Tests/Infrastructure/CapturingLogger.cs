using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Spiffe.Agent.Attestation.Tests.Infrastructure;

/// <summary>An <see cref="ILogger{T}"/> that records every event so tests can assert on event names.</summary>
internal sealed class CapturingLogger<T> : ILogger<T>
{
    private readonly ConcurrentQueue<LogRecord> _records = new();

    public IReadOnlyList<LogRecord> Records => [.. _records];

    public int Count(string eventName) => _records.Count(r => r.EventId.Name == eventName);

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(
        LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        _records.Enqueue(new LogRecord(logLevel, eventId, formatter(state, exception), exception));
}

internal sealed record LogRecord(LogLevel Level, EventId EventId, string Message, Exception? Exception);
