using Microsoft.Extensions.Logging;

namespace Spiffe.WorkloadApi.AspNetCore;

/// <summary>Log events of the JWT-SVID authentication handler. Tokens are never logged.</summary>
internal static partial class SpiffeJwtBearerLog
{
    [LoggerMessage(EventId = 1, EventName = "JwtSvidRejected", Level = LogLevel.Information,
        Message = "{Scheme}: JWT-SVID rejected: {Reason}")]
    public static partial void TokenRejected(this ILogger logger, string scheme, string reason);

    [LoggerMessage(EventId = 2, EventName = "JwtSvidAccepted", Level = LogLevel.Debug,
        Message = "{Scheme}: JWT-SVID accepted for {SpiffeId}")]
    public static partial void TokenAccepted(this ILogger logger, string scheme, string spiffeId);
}
