using Microsoft.Extensions.Logging;

namespace Spiffe.Server.Hosting;

/// <summary>Host log messages (event IDs 1000–1099).</summary>
internal static partial class ServerLog
{
    [LoggerMessage(EventId = 1000, EventName = "ServerStarted", Level = LogLevel.Information,
        Message = "spiffe-server for trust domain {TrustDomain} serving the agent API on port {Port} and the admin API on {SocketPath}")]
    public static partial void Started(ILogger logger, Spiffe.Core.TrustDomain trustDomain, int port, string socketPath);
}
