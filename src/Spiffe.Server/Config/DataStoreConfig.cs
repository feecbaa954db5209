namespace Spiffe.Server.Config;

/// <summary><c>DataStore "sql"</c>: only <c>database_type = "sqlite3"</c> is supported.</summary>
/// <param name="ConnectionString">The SQLite file path (SPIRE's <c>connection_string</c>), resolved against the working directory.</param>
internal sealed record DataStoreConfig(string ConnectionString);
