using Microsoft.Extensions.Logging;
using Spiffe.Core;

namespace Spiffe.Agent.ServerApi;

/// <summary>Log events of the server client (event IDs 2100–2199). Never logs tokens, keys or join tokens.</summary>
internal static partial class ServerApiLog
{
    [LoggerMessage(EventId = 2100, EventName = "MalformedEntryIgnored", Level = LogLevel.Warning,
        Message = "Ignoring malformed entry {EntryId} from the server: {Reason}; are the server and agent versions compatible?")]
    public static partial void MalformedEntryIgnored(ILogger logger, string entryId, string reason);

    [LoggerMessage(EventId = 2101, EventName = "FederatedBundleNotFound", Level = LogLevel.Warning,
        Message = "The server has no bundle for federated trust domain {TrustDomain}")]
    public static partial void FederatedBundleNotFound(ILogger logger, string trustDomain);

    [LoggerMessage(EventId = 2102, EventName = "X509SvidMintFailed", Level = LogLevel.Warning,
        Message = "The server did not sign an X509-SVID for entry {EntryId}: {StatusCode} {StatusMessage}")]
    public static partial void X509SvidMintFailed(ILogger logger, string entryId, int statusCode, string statusMessage);

    [LoggerMessage(EventId = 2103, EventName = "ServerCertificateRejected", Level = LogLevel.Error,
        Message = "Rejected the server's TLS certificate: {Reason}")]
    public static partial void ServerCertificateRejected(ILogger logger, string reason);

    [LoggerMessage(EventId = 2104, EventName = "AgentConnectionCreated", Level = LogLevel.Debug,
        Message = "Opened a new mTLS connection to the server as {AgentId}")]
    public static partial void AgentConnectionCreated(ILogger logger, SpiffeId agentId);

    [LoggerMessage(EventId = 2105, EventName = "SyncAuthorizedEntriesUnimplemented", Level = LogLevel.Warning,
        Message = "The server does not implement SyncAuthorizedEntries; falling back to GetAuthorizedEntries")]
    public static partial void SyncAuthorizedEntriesUnimplemented(ILogger logger);

    [LoggerMessage(EventId = 2106, EventName = "AttestationChallengeAnswered", Level = LogLevel.Debug,
        Message = "Answered a {AttestationType} attestation challenge")]
    public static partial void AttestationChallengeAnswered(ILogger logger, string attestationType);

    [LoggerMessage(EventId = 2120, EventName = "TaskEntryCreated", Level = LogLevel.Information,
        Message = "Created task entry {EntryId} for {SpiffeId}, expiring at {ExpiresAt}")]
    public static partial void TaskEntryCreated(ILogger logger, string entryId, SpiffeId spiffeId, DateTimeOffset expiresAt);

    [LoggerMessage(EventId = 2121, EventName = "TaskEntryDeleted", Level = LogLevel.Information,
        Message = "Deleted task entry {EntryId}")]
    public static partial void TaskEntryDeleted(ILogger logger, string entryId);
}
