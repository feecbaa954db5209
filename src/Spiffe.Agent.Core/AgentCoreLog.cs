using Microsoft.Extensions.Logging;
using Spiffe.Core;

namespace Spiffe.Agent.Core;

/// <summary>Log events of the agent back end (event IDs 2000–2099). Never logs keys, tokens or join tokens.</summary>
internal static partial class AgentCoreLog
{
    [LoggerMessage(EventId = 2000, EventName = "UsingStoredAgentSvid", Level = LogLevel.Information,
        Message = "Using the stored agent SVID {SpiffeId} (expires {ExpiresAt:O}); no attestation needed")]
    public static partial void UsingStoredAgentSvid(ILogger logger, SpiffeId spiffeId, DateTimeOffset expiresAt);

    [LoggerMessage(EventId = 2001, EventName = "StoredAgentSvidUnusable", Level = LogLevel.Information,
        Message = "The stored agent SVID cannot be used: {Reason}; attesting")]
    public static partial void StoredAgentSvidUnusable(ILogger logger, string reason);

    [LoggerMessage(EventId = 2002, EventName = "AgentDataCorrupt", Level = LogLevel.Warning,
        Message = "Ignoring unreadable agent state: {Error}")]
    public static partial void AgentDataCorrupt(ILogger logger, string error);

    [LoggerMessage(EventId = 2003, EventName = "AttestationAttemptFailed", Level = LogLevel.Warning,
        Message = "Node attestation attempt {Attempt} failed: {Error}; retrying in {Delay}")]
    public static partial void AttestationAttemptFailed(ILogger logger, int attempt, string error, TimeSpan delay);

    [LoggerMessage(EventId = 2004, EventName = "AgentAttested", Level = LogLevel.Information,
        Message = "Node attestation succeeded: agent SVID {SpiffeId}, expires {ExpiresAt:O}, reattestable {Reattestable}")]
    public static partial void AgentAttested(ILogger logger, SpiffeId spiffeId, DateTimeOffset expiresAt, bool reattestable);

    [LoggerMessage(EventId = 2005, EventName = "AgentSvidRenewed", Level = LogLevel.Information,
        Message = "Agent SVID renewed: {SpiffeId}, expires {ExpiresAt:O}")]
    public static partial void AgentSvidRenewed(ILogger logger, SpiffeId spiffeId, DateTimeOffset expiresAt);

    [LoggerMessage(EventId = 2006, EventName = "AgentSvidRotationFailed", Level = LogLevel.Warning,
        Message = "Agent SVID rotation failed: {Error}; retrying in {Delay}")]
    public static partial void AgentSvidRotationFailed(ILogger logger, string error, TimeSpan delay);

    [LoggerMessage(EventId = 2007, EventName = "Reattesting", Level = LogLevel.Warning,
        Message = "The server requires re-attestation ({Reason}); attesting again")]
    public static partial void Reattesting(ILogger logger, string reason);

    [LoggerMessage(EventId = 2008, EventName = "AgentMustExit", Level = LogLevel.Critical,
        Message = "The agent must exit ({Reason}): {Message}")]
    public static partial void AgentMustExit(ILogger logger, AgentExitReason reason, string message);

    [LoggerMessage(EventId = 2009, EventName = "SyncFailed", Level = LogLevel.Warning,
        Message = "Sync with the server failed: {Error}; retrying in {Delay}; cached SVIDs are still served")]
    public static partial void SyncFailed(ILogger logger, string error, TimeSpan delay);

    [LoggerMessage(EventId = 2010, EventName = "EntriesUpdated", Level = LogLevel.Debug,
        Message = "Entries updated: {Total} total, {Added} added, {Changed} changed, {Removed} removed")]
    public static partial void EntriesUpdated(ILogger logger, int total, int added, int changed, int removed);

    [LoggerMessage(EventId = 2011, EventName = "X509SvidMinted", Level = LogLevel.Debug,
        Message = "X509-SVID for entry {EntryId} ({SpiffeId}) minted, expires {ExpiresAt:O}")]
    public static partial void X509SvidMinted(ILogger logger, string entryId, SpiffeId spiffeId, DateTimeOffset expiresAt);

    [LoggerMessage(EventId = 2012, EventName = "X509SvidRejected", Level = LogLevel.Warning,
        Message = "X509-SVID for entry {EntryId} not stored: {Error}")]
    public static partial void X509SvidRejected(ILogger logger, string entryId, string error);

    [LoggerMessage(EventId = 2013, EventName = "BundleUpdated", Level = LogLevel.Information,
        Message = "Bundle of trust domain {TrustDomain} updated")]
    public static partial void BundleUpdated(ILogger logger, TrustDomain trustDomain);

    [LoggerMessage(EventId = 2014, EventName = "StaleJwtSvidServed", Level = LogLevel.Warning,
        Message = "Could not refresh the JWT-SVID for {SpiffeId}: {Error}; returning the cached token, valid until {ExpiresAt:O}")]
    public static partial void StaleJwtSvidServed(ILogger logger, SpiffeId spiffeId, string error, DateTimeOffset expiresAt);

    [LoggerMessage(EventId = 2015, EventName = "PostStatusFailed", Level = LogLevel.Warning,
        Message = "Reporting the agent version to the server failed: {Error}")]
    public static partial void PostStatusFailed(ILogger logger, string error);

    [LoggerMessage(EventId = 2016, EventName = "MemoryKeyManagerNotReattestable", Level = LogLevel.Warning,
        Message = "The memory key manager loses the agent key on restart and this attestation method cannot re-attest: a restart will need new attestation material (e.g. a new join token)")]
    public static partial void MemoryKeyManagerNotReattestable(ILogger logger);

    [LoggerMessage(EventId = 2017, EventName = "AgentReady", Level = LogLevel.Information,
        Message = "Agent ready: first sync done with {Entries} entries")]
    public static partial void AgentReady(ILogger logger, int entries);

    [LoggerMessage(EventId = 2018, EventName = "MintFailed", Level = LogLevel.Warning,
        Message = "Minting X509-SVIDs failed: {Error}; retrying on the next sync")]
    public static partial void MintFailed(ILogger logger, string error);

    [LoggerMessage(EventId = 2019, EventName = "TrustBundleLoaded", Level = LogLevel.Information,
        Message = "Server trust: {Source}")]
    public static partial void TrustBundleLoaded(ILogger logger, string source);
}
