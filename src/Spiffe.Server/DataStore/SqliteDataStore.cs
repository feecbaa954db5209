using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace Spiffe.Server.DataStore;

/// <summary>
/// <see cref="IDataStore"/> on one SQLite file. Durability: WAL journal with <c>synchronous=FULL</c>, so a committed
/// transaction survives <c>kill -9</c> and power loss. Every write runs in one <c>BEGIN IMMEDIATE</c> transaction
/// under a single writer gate, with parameterised SQL only. The whole state (entries, agents, bundles) is also held in
/// memory, loaded at open and updated after each commit, so reads never touch the disk; the file is the source of
/// truth at start-up. One process owns a datastore file at a time (an exclusive lock on <c>&lt;file&gt;.lock</c>).
/// </summary>
internal sealed partial class SqliteDataStore : IDataStore, ICaJournalStore, IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly FileStream _lockFile;
    private readonly TimeProvider _timeProvider;
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private readonly object _memoryGate = new();
    private bool _disposed;

    private SqliteDataStore(string path, SqliteConnection connection, FileStream lockFile, TimeProvider timeProvider)
    {
        Path = path;
        _connection = connection;
        _lockFile = lockFile;
        _timeProvider = timeProvider;
    }

    /// <summary>The database file.</summary>
    public string Path { get; }

    /// <summary>The schema version the file is at after opening.</summary>
    public int SchemaVersion { get; private set; }

    /// <summary>
    /// Opens (creating if needed) the database at <paramref name="path"/>, applies pending migrations and loads the
    /// state into memory.
    /// </summary>
    /// <exception cref="InvalidOperationException">The file is locked by another server, or its schema is newer than this build.</exception>
    public static SqliteDataStore Open(string path, TimeProvider timeProvider, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        var full = System.IO.Path.GetFullPath(path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        FileStream lockFile;
        try
        {
            lockFile = new FileStream(full + ".lock", FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException ex)
        {
            throw new InvalidOperationException($"datastore \"{full}\" is in use by another process", ex);
        }

        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = full,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
            ForeignKeys = true,
            DefaultTimeout = 30,
        };
        var connection = new SqliteConnection(builder.ToString());
        var store = new SqliteDataStore(full, connection, lockFile, timeProvider);
        try
        {
            connection.Open();
            var mode = store.Scalar("PRAGMA journal_mode=WAL;") as string;
            if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException($"datastore \"{full}\": could not enable WAL mode (got \"{mode}\")");
            }

            store.Execute("PRAGMA synchronous=FULL;");
            store.Execute("PRAGMA busy_timeout=30000;");
            store.Migrate(logger);
            store.LoadAll();
            DataStoreLog.Opened(logger, full, store.SchemaVersion, store._entries.Count, store._agents.Count);
            return store;
        }
        catch
        {
            store.Dispose();
            throw;
        }
    }

    /// <summary>Reads a PRAGMA value (tests check durability settings).</summary>
    public object? ReadPragma(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!name.All(c => char.IsAsciiLetter(c) || c == '_'))
        {
            throw new ArgumentException("not a pragma name", nameof(name));
        }

        _writeGate.Wait();
        try
        {
            return Scalar("PRAGMA " + name + ";");
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <inheritdoc />
    public async Task<byte[]?> LoadCaJournalAsync(CancellationToken cancellationToken)
    {
        await _writeGate.WaitAsync(cancellationToken);
        try
        {
            using var command = _connection.CreateCommand();
            command.CommandText = "SELECT data FROM ca_journal WHERE id = 1;";
            return command.ExecuteScalar() as byte[];
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <inheritdoc />
    public Task SaveCaJournalAsync(byte[] journal, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(journal);
        return WriteAsync(
            tx =>
            {
                using var command = Command(tx, "INSERT INTO ca_journal (id, data) VALUES (1, $data) ON CONFLICT (id) DO UPDATE SET data = excluded.data;");
                command.Parameters.AddWithValue("$data", journal);
                command.ExecuteNonQuery();
                return Done(true, () => { });
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _connection.Dispose();
        _lockFile.Dispose();
        _writeGate.Dispose();
    }

    private long Now => _timeProvider.GetUtcNow().ToUnixTimeSeconds();

    private static string NextToken(string last) => last;

    private static (T Result, Action Apply) Done<T>(T result, Action apply) => (result, apply);

    private void Migrate(ILogger logger)
    {
        Execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL);");
        var current = Scalar("SELECT version FROM schema_version;");
        if (current is null)
        {
            Execute("INSERT INTO schema_version (version) VALUES (0);");
            current = 0L;
        }

        var version = Convert.ToInt32(current, CultureInfo.InvariantCulture);
        var steps = SchemaMigrations.Steps;
        if (version > steps.Count)
        {
            throw new InvalidOperationException(
                $"datastore \"{Path}\" has schema version {version}, newer than this server supports ({steps.Count})");
        }

        for (var i = version; i < steps.Count; i++)
        {
            using var tx = _connection.BeginTransaction(deferred: false);
            using (var command = Command(tx, steps[i]))
            {
                command.ExecuteNonQuery();
            }

            using (var command = Command(tx, "UPDATE schema_version SET version = $v;"))
            {
                command.Parameters.AddWithValue("$v", i + 1);
                command.ExecuteNonQuery();
            }

            tx.Commit();
            DataStoreLog.Migrated(logger, Path, i + 1);
        }

        SchemaVersion = steps.Count;
    }

    private void LoadAll()
    {
        LoadEntries();
        LoadAgents();
        LoadBundles();
    }

    private async Task<T> WriteAsync<T>(Func<SqliteTransaction, (T Result, Action Apply)> work, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _writeGate.WaitAsync(cancellationToken);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            using var tx = _connection.BeginTransaction(deferred: false);
            var (result, apply) = work(tx);
            tx.Commit();
            lock (_memoryGate)
            {
                apply();
            }

            return result;
        }
        finally
        {
            _writeGate.Release();
        }
    }

    private SqliteCommand Command(SqliteTransaction? tx, string sql)
    {
        var command = _connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        return command;
    }

    private void Execute(string sql)
    {
        using var command = Command(null, sql);
        command.ExecuteNonQuery();
    }

    private object? Scalar(string sql)
    {
        using var command = Command(null, sql);
        return command.ExecuteScalar();
    }

    private static Page<T> Paginate<T>(IEnumerable<T> ordered, Func<T, string> key, int pageSize, string? pageToken)
    {
        if (pageSize < 0)
        {
            throw new DataStoreException(DataStoreErrorCode.InvalidArgument, "page size must not be negative");
        }

        var items = string.IsNullOrEmpty(pageToken)
            ? ordered
            : ordered.Where(i => string.CompareOrdinal(key(i), pageToken) > 0);
        if (pageSize == 0)
        {
            return new Page<T>(items.ToArray(), string.Empty);
        }

        var page = items.Take(pageSize + 1).ToArray();
        return page.Length > pageSize
            ? new Page<T>(page[..pageSize], NextToken(key(page[pageSize - 1])))
            : new Page<T>(page, string.Empty);
    }
}
