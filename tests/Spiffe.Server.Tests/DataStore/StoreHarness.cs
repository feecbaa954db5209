using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Spiffe.Server.DataStore;
using Spiffe.Server.Tests.Infrastructure;

namespace Spiffe.Server.Tests.Sqlite;

/// <summary>A SQLite datastore in a temp directory with a fake clock; <see cref="Reopen"/> closes and opens the same file.</summary>
internal sealed class StoreHarness : IDisposable
{
    private readonly TempDirectory _directory = new();

    public StoreHarness()
    {
        Clock = new FakeTimeProvider(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));
        Store = SqliteDataStore.Open(Path, Clock, NullLogger.Instance);
    }

    public string Path => _directory.File("datastore.sqlite3");

    public FakeTimeProvider Clock { get; }

    public SqliteDataStore Store { get; private set; }

    public SqliteDataStore Reopen()
    {
        Store.Dispose();
        Store = SqliteDataStore.Open(Path, Clock, NullLogger.Instance);
        return Store;
    }

    public void Dispose()
    {
        Store.Dispose();
        _directory.Dispose();
    }
}
