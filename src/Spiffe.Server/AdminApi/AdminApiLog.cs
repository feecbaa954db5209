using Microsoft.Extensions.Logging;
using Spiffe.Core;

namespace Spiffe.Server.AdminApi;

/// <summary>Log events of the admin API: one line per change an administrator makes.</summary>
internal static partial class AdminApiLog
{
    [LoggerMessage(EventId = 3001, EventName = "EntryCreated", Level = LogLevel.Information, Message = "Created registration entry {EntryId} for {SpiffeId} (parent {ParentId})")]
    public static partial void EntryCreated(this ILogger logger, string entryId, SpiffeId spiffeId, SpiffeId parentId);

    [LoggerMessage(EventId = 3002, EventName = "EntryUpdated", Level = LogLevel.Information, Message = "Updated registration entry {EntryId} to revision {Revision}")]
    public static partial void EntryUpdated(this ILogger logger, string entryId, long revision);

    [LoggerMessage(EventId = 3003, EventName = "EntryDeleted", Level = LogLevel.Information, Message = "Deleted registration entry {EntryId}")]
    public static partial void EntryDeleted(this ILogger logger, string entryId);

    [LoggerMessage(EventId = 3004, EventName = "AgentEvicted", Level = LogLevel.Information, Message = "Evicted agent {AgentId}; it must attest again")]
    public static partial void AgentEvicted(this ILogger logger, SpiffeId agentId);

    [LoggerMessage(EventId = 3005, EventName = "AgentBanned", Level = LogLevel.Warning, Message = "Banned agent {AgentId}")]
    public static partial void AgentBanned(this ILogger logger, SpiffeId agentId);

    [LoggerMessage(EventId = 3006, EventName = "JoinTokenCreated", Level = LogLevel.Information, Message = "Created a join token expiring at {ExpiresAt}")]
    public static partial void JoinTokenCreated(this ILogger logger, long expiresAt);

    [LoggerMessage(EventId = 3009, EventName = "JoinTokenCreatedWithAlias", Level = LogLevel.Information, Message = "Created a join token expiring at {ExpiresAt} whose agent is aliased to {AgentId}")]
    public static partial void JoinTokenCreatedWithAlias(this ILogger logger, long expiresAt, SpiffeId agentId);

    [LoggerMessage(EventId = 3007, EventName = "FederatedBundleChanged", Level = LogLevel.Information, Message = "{Change} federated bundle of {TrustDomain}")]
    public static partial void FederatedBundleChanged(this ILogger logger, string change, TrustDomain trustDomain);

    [LoggerMessage(EventId = 3008, EventName = "BundleAppended", Level = LogLevel.Information, Message = "Appended authorities to the bundle of {TrustDomain}; sequence number {SequenceNumber}")]
    public static partial void BundleAppended(this ILogger logger, TrustDomain trustDomain, ulong sequenceNumber);
}
