using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Spiffe.Agent.Configuration;

namespace Spiffe.Agent.Hosting;

/// <summary>
/// Logging as SPIRE does it: to standard error, in <c>text</c> or <c>json</c>, at <c>log_level</c>. Framework
/// categories (Kestrel, gRPC, HttpClient, OpenTelemetry) are held at warning.
/// </summary>
internal static class AgentLogging
{
    /// <summary>Configures <paramref name="logging"/>.</summary>
    public static void Configure(ILoggingBuilder logging, AgentLogLevel level, AgentLogFormat format)
    {
        ArgumentNullException.ThrowIfNull(logging);
        logging.ClearProviders();
        var minimum = ToLogLevel(level);
        logging.SetMinimumLevel(minimum);
        var framework = LogLevel.Warning;
        foreach (var category in new[] { "Microsoft", "Grpc", "System.Net.Http", "OpenTelemetry" })
        {
            logging.AddFilter(category, (LogLevel)Math.Max((int)minimum, (int)framework));
        }

        if (format == AgentLogFormat.Json)
        {
            logging.AddJsonConsole(o =>
            {
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
                o.UseUtcTimestamp = true;
                o.IncludeScopes = false;
            });
        }
        else
        {
            logging.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
                o.UseUtcTimestamp = true;
                o.ColorBehavior = LoggerColorBehavior.Disabled;
            });
        }

        logging.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
    }

    /// <summary>Maps a SPIRE level to a .NET one.</summary>
    public static LogLevel ToLogLevel(AgentLogLevel level) => level switch
    {
        AgentLogLevel.Debug => LogLevel.Debug,
        AgentLogLevel.Info => LogLevel.Information,
        AgentLogLevel.Warn => LogLevel.Warning,
        _ => LogLevel.Error,
    };
}
