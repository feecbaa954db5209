using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Spiffe.Server.Config;

namespace Spiffe.Server.Hosting;

/// <summary>Writes log lines to <c>log_file</c> (appending), as text or one JSON object per line.</summary>
internal sealed class FileLoggerProvider : ILoggerProvider
{
    private readonly StreamWriter _writer;
    private readonly LogFormat _format;
    private readonly TimeProvider _timeProvider;
    private readonly Lock _gate = new();
    private readonly ConcurrentDictionary<string, FileLogger> _loggers = new(StringComparer.Ordinal);

    /// <summary>Opens (appending) the log file.</summary>
    public FileLoggerProvider(string path, LogFormat format, TimeProvider timeProvider)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        _writer = new StreamWriter(new FileStream(full, FileMode.Append, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = true };
        _format = format;
        _timeProvider = timeProvider;
    }

    /// <inheritdoc />
    public ILogger CreateLogger(string categoryName) => _loggers.GetOrAdd(categoryName, name => new FileLogger(this, name));

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_gate)
        {
            _writer.Dispose();
        }
    }

    private void Write(string category, LogLevel level, EventId eventId, string message, Exception? exception)
    {
        var time = _timeProvider.GetUtcNow().ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
        string line;
        if (_format == LogFormat.Json)
        {
            line = JsonSerializer.Serialize(new Dictionary<string, object?>
            {
                ["time"] = time,
                ["level"] = level.ToString(),
                ["category"] = category,
                ["event"] = eventId.Name,
                ["msg"] = message,
                ["error"] = exception?.ToString(),
            });
        }
        else
        {
            line = $"{time} {level} {category}[{eventId.Id.ToString(CultureInfo.InvariantCulture)}] {message}{(exception is null ? string.Empty : " " + exception)}";
        }

        lock (_gate)
        {
            _writer.WriteLine(line);
        }
    }

    private sealed class FileLogger(FileLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            ArgumentNullException.ThrowIfNull(formatter);
            if (IsEnabled(logLevel))
            {
                provider.Write(category, logLevel, eventId, formatter(state, exception), exception);
            }
        }
    }
}
