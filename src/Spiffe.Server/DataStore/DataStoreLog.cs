using Microsoft.Extensions.Logging;

namespace Spiffe.Server.DataStore;

/// <summary>Datastore log messages (event IDs 1100–1199).</summary>
internal static partial class DataStoreLog
{
    [LoggerMessage(EventId = 1100, EventName = "DataStoreOpened", Level = LogLevel.Information,
        Message = "Datastore {Path} opened at schema version {Version}: {Entries} entries, {Agents} agents")]
    public static partial void Opened(ILogger logger, string path, int version, int entries, int agents);

    [LoggerMessage(EventId = 1101, EventName = "DataStoreMigrated", Level = LogLevel.Information,
        Message = "Datastore {Path} migrated to schema version {Version}")]
    public static partial void Migrated(ILogger logger, string path, int version);
}
