using Microsoft.Extensions.Logging;

namespace Spiffe.Agent.Tasks.Policy;

/// <summary>Log messages of the policy engine (event IDs 7200–7299).</summary>
internal static partial class PolicyLog
{
    [LoggerMessage(EventId = 7200, EventName = "PolicyLoaded", Level = LogLevel.Information,
        Message = "Loaded policy {Name} from {File} (sha256 {Sha256})")]
    public static partial void Loaded(ILogger logger, string name, string file, string sha256);

    [LoggerMessage(EventId = 7201, EventName = "PolicyInvalid", Level = LogLevel.Error,
        Message = "Policy file {File} is invalid: {Error}; {Consequence}")]
    public static partial void Invalid(ILogger logger, string file, string error, string consequence);

    [LoggerMessage(EventId = 7202, EventName = "PolicyRemoved", Level = LogLevel.Information,
        Message = "Policy file {File} was removed")]
    public static partial void Removed(ILogger logger, string file);

    [LoggerMessage(EventId = 7203, EventName = "PolicyDirectoryUnreadable", Level = LogLevel.Error,
        Message = "Policy directory {Directory} cannot be read: {Error}; {Consequence}")]
    public static partial void DirectoryUnreadable(ILogger logger, string directory, string error, string consequence);

    [LoggerMessage(EventId = 7204, EventName = "PolicyReloadFailed", Level = LogLevel.Error,
        Message = "Policy reload failed")]
    public static partial void ReloadFailed(ILogger logger, Exception exception);
}
