using Microsoft.Extensions.Logging;

namespace Spiffe.Agent.ServerApi.Wit;

/// <summary>Log events of the WIT-SVID server calls (event IDs 2140–2149). Never logs a token.</summary>
internal static partial class WitServerApiLog
{
    [LoggerMessage(EventId = 2140, EventName = "WitSvidMintFailed", Level = LogLevel.Warning,
        Message = "The server refused a WIT-SVID for entry {EntryId}: status {Code}: {Message}")]
    public static partial void WitSvidMintFailed(ILogger logger, string entryId, int code, string message);
}
