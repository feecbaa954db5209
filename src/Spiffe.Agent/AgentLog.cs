using Microsoft.Extensions.Logging;

namespace Spiffe.Agent;

/// <summary>Log events of the <c>spiffe-agent</c> executable (event IDs 5001–5099, never reused). Never logs secrets.</summary>
internal static partial class AgentLog
{
    [LoggerMessage(EventId = 5001, EventName = "AgentStarting", Level = LogLevel.Information,
        Message = "Starting spiffe-agent {Version} for trust domain {TrustDomain}; server {ServerAddress}:{ServerPort}; data dir {DataDirectory}")]
    public static partial void AgentStarting(ILogger logger, string version, string trustDomain, string serverAddress, int serverPort, string dataDirectory);

    [LoggerMessage(EventId = 5002, EventName = "AdminApiNotServed", Level = LogLevel.Warning,
        Message = "admin_socket_path {AdminSocketPath} is set, but spiffe-agent serves no admin API; ignoring it")]
    public static partial void AdminApiNotServed(ILogger logger, string adminSocketPath);

    [LoggerMessage(EventId = 5003, EventName = "HealthListenerStarted", Level = LogLevel.Information,
        Message = "Serving health checks on {Address}:{Port} ({LivePath}, {ReadyPath})")]
    public static partial void HealthListenerStarted(ILogger logger, string address, int port, string livePath, string readyPath);

    [LoggerMessage(EventId = 5004, EventName = "PrometheusListenerStarted", Level = LogLevel.Information,
        Message = "Serving Prometheus metrics on {Address}:{Port}/metrics")]
    public static partial void PrometheusListenerStarted(ILogger logger, string address, int port);

    [LoggerMessage(EventId = 5005, EventName = "ListenerFailed", Level = LogLevel.Critical,
        Message = "Could not start the {Listener} listener on {Address}:{Port}")]
    public static partial void ListenerFailed(ILogger logger, string listener, string address, int port, Exception exception);

    [LoggerMessage(EventId = 5006, EventName = "AgentStopped", Level = LogLevel.Information,
        Message = "spiffe-agent stopped")]
    public static partial void AgentStopped(ILogger logger);
}
