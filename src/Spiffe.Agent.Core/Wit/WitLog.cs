using Microsoft.Extensions.Logging;
using Spiffe.Core;

namespace Spiffe.Agent.Core.Wit;

/// <summary>Log events of the WIT-SVID cache (event IDs 2060–2079). Never logs a token or a key.</summary>
internal static partial class WitLog
{
    [LoggerMessage(EventId = 2060, EventName = "WitSvidMinted", Level = LogLevel.Debug,
        Message = "WIT-SVID for entry {EntryId} ({SpiffeId}) minted, expires {ExpiresAt:O}, rotation {Rotation}")]
    public static partial void WitSvidMinted(ILogger logger, string entryId, SpiffeId spiffeId, DateTimeOffset expiresAt, bool rotation);

    [LoggerMessage(EventId = 2061, EventName = "WitSvidRejected", Level = LogLevel.Warning,
        Message = "WIT-SVID for entry {EntryId} refused: {Reason}")]
    public static partial void WitSvidRejected(ILogger logger, string entryId, string reason);

    [LoggerMessage(EventId = 2062, EventName = "WitSvidMintFailed", Level = LogLevel.Warning,
        Message = "Minting WIT-SVIDs failed: {Error}; retrying at the next check")]
    public static partial void WitSvidMintFailed(ILogger logger, string error);

    [LoggerMessage(EventId = 2063, EventName = "WitSvidDropped", Level = LogLevel.Debug,
        Message = "WIT-SVID for entry {EntryId} dropped: {Reason}")]
    public static partial void WitSvidDropped(ILogger logger, string entryId, string reason);
}
