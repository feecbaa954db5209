using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Spiffe.Core;
using Spiffe.Server.DataStore;

namespace Spiffe.Server.Tests.Sqlite;

[TestFixture]
public sealed class SqliteDataStoreTests
{
    private static readonly SpiffeId Agent = SpiffeId.Parse("spiffe://example.org/spire/agent/join_token/t1");
    private static readonly SpiffeId Web = SpiffeId.Parse("spiffe://example.org/web");
    private static readonly CancellationToken None = CancellationToken.None;

    [Test]
    public void Open_NewFile_UsesWalWithFullSyncAndLatestSchema()
    {
        // Arrange
        using var harness = new StoreHarness();

        // Act
        var journal = harness.Store.ReadPragma("journal_mode");
        var synchronous = harness.Store.ReadPragma("synchronous");

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(journal, Is.EqualTo("wal"));
            Assert.That(synchronous, Is.EqualTo(2L));
            Assert.That(harness.Store.SchemaVersion, Is.EqualTo(SchemaMigrations.Steps.Count));
            Assert.That(SchemaVersionInFile(harness.Path), Is.EqualTo(SchemaMigrations.Steps.Count));
        });
    }

    [Test]
    public void Open_SecondOpenWhileFirstIsOpen_FailsInUse()
    {
        // Arrange
        using var harness = new StoreHarness();

        // Act
        var ex = Assert.Throws<InvalidOperationException>(() => SqliteDataStore.Open(harness.Path, harness.Clock, NullLogger.Instance));

        // Assert
        Assert.That(ex!.Message, Does.Contain("is in use by another process"));
    }

    [Test]
    public void Open_SchemaNewerThanBuild_Fails()
    {
        // Arrange
        using var harness = new StoreHarness();
        harness.Store.Dispose();
        SetSchemaVersion(harness.Path, 99);

        // Act
        var ex = Assert.Throws<InvalidOperationException>(() => harness.Reopen());

        // Assert
        Assert.That(ex!.Message, Does.Contain("has schema version 99, newer than this server supports"));
    }

    [Test]
    public async Task CreateEntry_AllFields_RoundTripThroughTheFile()
    {
        // Arrange
        using var harness = new StoreHarness();
        var entry = new RegistrationEntry
        {
            SpiffeId = Web,
            ParentId = Agent,
            Selectors = [new Selector("unix", "uid:1000"), new Selector("docker", "label:a:b")],
            X509SvidTtl = 600,
            JwtSvidTtl = 60,
            FederatesWith = ["partner.test", "another.test"],
            Admin = true,
            Downstream = true,
            ExpiresAt = 1_900_000_000,
            DnsNames = ["b.example.org", "a.example.org"],
            StoreSvid = true,
            Hint = "web",
            JwtSvidIncludeJti = true,
            DisableX509SvidPrefetch = true,
        };

        // Act
        var created = await harness.Store.CreateEntryAsync(entry, None);
        var reloaded = await harness.Reopen().GetEntryAsync(created.Id, None);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(Guid.TryParse(created.Id, out _), Is.True);
            Assert.That(created.RevisionNumber, Is.Zero);
            Assert.That(created.CreatedAt, Is.EqualTo(harness.Clock.GetUtcNow().ToUnixTimeSeconds()));
            Assert.That(reloaded!.Selectors.Select(s => s.ToString()), Is.EqualTo(new[] { "docker:label:a:b", "unix:uid:1000" }));
            Assert.That(reloaded.FederatesWith, Is.EqualTo(new[] { "another.test", "partner.test" }));
            Assert.That(reloaded.DnsNames, Is.EqualTo(new[] { "b.example.org", "a.example.org" }));
            Assert.That(reloaded with { Selectors = [], FederatesWith = [], DnsNames = [] }, Is.EqualTo(created with { Selectors = [], FederatesWith = [], DnsNames = [] }));
        });
    }

    [Test]
    public async Task CreateEntry_SameSpiffeIdParentAndSelectors_FailsAlreadyExists()
    {
        // Arrange
        using var harness = new StoreHarness();
        await harness.Store.CreateEntryAsync(Entry(), None);

        // Act
        var ex = Assert.ThrowsAsync<DataStoreException>(() => harness.Store.CreateEntryAsync(Entry(), None));

        // Assert
        Assert.That(ex!.Code, Is.EqualTo(DataStoreErrorCode.AlreadyExists));
        Assert.That(await harness.Store.CountEntriesAsync(EntryFilter.All, None), Is.EqualTo(1));
    }

    [Test]
    public async Task CreateOrReturnEntry_Duplicate_ReturnsExisting()
    {
        // Arrange
        using var harness = new StoreHarness();
        var first = await harness.Store.CreateEntryAsync(Entry(), None);

        // Act
        var (entry, created) = await harness.Store.CreateOrReturnEntryAsync(Entry(), None);

        // Assert
        Assert.That(created, Is.False);
        Assert.That(entry.Id, Is.EqualTo(first.Id));
    }

    [Test]
    public async Task CreateEntry_NoSelectors_FailsInvalidArgument()
    {
        // Arrange
        using var harness = new StoreHarness();

        // Act
        var ex = Assert.ThrowsAsync<DataStoreException>(() => harness.Store.CreateEntryAsync(Entry() with { Selectors = [] }, None));

        // Assert
        Assert.That(ex!.Code, Is.EqualTo(DataStoreErrorCode.InvalidArgument));
    }

    [Test]
    public async Task UpdateEntry_BumpsRevisionKeepsCreatedAtAndPersists()
    {
        // Arrange
        using var harness = new StoreHarness();
        var created = await harness.Store.CreateEntryAsync(Entry(), None);
        harness.Clock.Advance(TimeSpan.FromMinutes(5));

        // Act
        var first = await harness.Store.UpdateEntryAsync(created with { Hint = "one" }, None);
        var second = await harness.Store.UpdateEntryAsync(first with { X509SvidTtl = 30, CreatedAt = 1 }, None);
        var reloaded = await harness.Reopen().GetEntryAsync(created.Id, None);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(first.RevisionNumber, Is.EqualTo(1));
            Assert.That(second.RevisionNumber, Is.EqualTo(2));
            Assert.That(second.CreatedAt, Is.EqualTo(created.CreatedAt));
            Assert.That(reloaded!.RevisionNumber, Is.EqualTo(2));
            Assert.That(reloaded.Hint, Is.EqualTo("one"));
            Assert.That(reloaded.X509SvidTtl, Is.EqualTo(30));
        });
    }

    [Test]
    public async Task UpdateEntry_Unknown_FailsNotFound()
    {
        // Arrange
        using var harness = new StoreHarness();

        // Act
        var ex = Assert.ThrowsAsync<DataStoreException>(() => harness.Store.UpdateEntryAsync(Entry() with { Id = "missing" }, None));

        // Assert
        Assert.That(ex!.Code, Is.EqualTo(DataStoreErrorCode.NotFound));
    }

    [Test]
    public async Task DeleteEntry_RemovesRowsAndReturnsEntry()
    {
        // Arrange
        using var harness = new StoreHarness();
        var created = await harness.Store.CreateEntryAsync(Entry(), None);

        // Act
        var deleted = await harness.Store.DeleteEntryAsync(created.Id, None);
        var again = await harness.Store.DeleteEntryAsync(created.Id, None);

        // Assert
        Assert.That(deleted!.Id, Is.EqualTo(created.Id));
        Assert.That(again, Is.Null);
        Assert.That(await harness.Reopen().CountEntriesAsync(EntryFilter.All, None), Is.Zero);
        Assert.That(RowCount(harness.Path, "entry_selectors"), Is.Zero);
    }

    [Test]
    public async Task ListEntries_FiltersAndPages()
    {
        // Arrange
        using var harness = new StoreHarness();
        for (var i = 0; i < 5; i++)
        {
            await harness.Store.CreateEntryAsync(Entry() with { Id = "e" + i, SpiffeId = SpiffeId.Parse("spiffe://example.org/w" + i), Hint = i % 2 == 0 ? "even" : "odd" }, None);
        }

        await harness.Store.CreateEntryAsync(Entry() with { Id = "f", Selectors = [new Selector("unix", "uid:1000"), new Selector("unix", "gid:0")], FederatesWith = ["partner.test"] }, None);

        // Act
        var page1 = await harness.Store.ListEntriesAsync(EntryFilter.All, 4, null, None);
        var page2 = await harness.Store.ListEntriesAsync(EntryFilter.All, 4, page1.NextPageToken, None);
        var even = await harness.Store.ListEntriesAsync(new EntryFilter { ByHint = "even" }, 0, null, None);
        var superset = await harness.Store.CountEntriesAsync(new EntryFilter { BySelectors = [new Selector("unix", "gid:0")], SelectorMatch = MatchBehavior.Superset }, None);
        var exact = await harness.Store.CountEntriesAsync(new EntryFilter { BySelectors = [new Selector("unix", "uid:1000")], SelectorMatch = MatchBehavior.Exact }, None);
        var federated = await harness.Store.CountEntriesAsync(new EntryFilter { ByFederatesWith = ["partner.test"], FederatesWithMatch = MatchBehavior.Any }, None);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(page1.Items.Select(e => e.Id), Is.EqualTo(new[] { "e0", "e1", "e2", "e3" }));
            Assert.That(page2.Items.Select(e => e.Id), Is.EqualTo(new[] { "e4", "f" }));
            Assert.That(page2.NextPageToken, Is.Empty);
            Assert.That(even.Items.Select(e => e.Id), Is.EqualTo(new[] { "e0", "e2", "e4" }));
            Assert.That(superset, Is.EqualTo(1));
            Assert.That(exact, Is.EqualTo(5));
            Assert.That(federated, Is.EqualTo(1));
        });
    }

    [Test]
    public async Task AttestedAgent_CreateUpdateDelete_Persist()
    {
        // Arrange
        using var harness = new StoreHarness();
        var agent = new AttestedAgent
        {
            Id = Agent,
            AttestationType = "join_token",
            SerialNumber = "123",
            ExpiresAt = 1_900_000_000,
            Selectors = [new Selector("x509pop", "subject:cn:a")],
        };

        // Act
        await harness.Store.CreateAttestedAgentAsync(agent, None);
        var updated = await harness.Store.UpdateAttestedAgentAsync(agent with { NewSerialNumber = "456", NewExpiresAt = 1_900_000_100, Banned = true, CanReattest = true, AgentVersion = "1.2" }, None);
        var reloaded = await harness.Reopen().GetAttestedAgentAsync(Agent, None);
        var banned = await harness.Store.CountAttestedAgentsAsync(new AgentFilter { ByBanned = true }, None);
        var deleted = await harness.Store.DeleteAttestedAgentAsync(Agent, None);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(reloaded! with { Selectors = [] }, Is.EqualTo(updated with { Selectors = [] }));
            Assert.That(reloaded.Selectors.Single().ToString(), Is.EqualTo("x509pop:subject:cn:a"));
            Assert.That(banned, Is.EqualTo(1));
            Assert.That(deleted, Is.Not.Null);
            Assert.That(RowCount(harness.Path, "node_selectors"), Is.Zero);
        });
    }

    [Test]
    public async Task JoinToken_DeleteConsumesOnce()
    {
        // Arrange
        using var harness = new StoreHarness();
        await harness.Store.CreateJoinTokenAsync(new JoinToken("tok", 1_900_000_000, Web), None);

        // Act
        var found = await harness.Reopen().GetJoinTokenAsync("tok", None);
        var first = await harness.Store.DeleteJoinTokenAsync("tok", None);
        var second = await harness.Store.DeleteJoinTokenAsync("tok", None);

        // Assert
        Assert.That(found, Is.EqualTo(new JoinToken("tok", 1_900_000_000, Web)));
        Assert.That(first, Is.True);
        Assert.That(second, Is.False);
    }

    [Test]
    public async Task JoinToken_Duplicate_FailsAlreadyExists()
    {
        // Arrange
        using var harness = new StoreHarness();
        await harness.Store.CreateJoinTokenAsync(new JoinToken("tok", 1), None);

        // Act
        var ex = Assert.ThrowsAsync<DataStoreException>(() => harness.Store.CreateJoinTokenAsync(new JoinToken("tok", 2), None));

        // Assert
        Assert.That(ex!.Code, Is.EqualTo(DataStoreErrorCode.AlreadyExists));
        Assert.That((await harness.Store.GetJoinTokenAsync("tok", None))!.ExpiresAt, Is.EqualTo(1));
    }

    [Test]
    public async Task PruneJoinTokens_RemovesOnlyExpired()
    {
        // Arrange
        using var harness = new StoreHarness();
        await harness.Store.CreateJoinTokenAsync(new JoinToken("old", 100), None);
        await harness.Store.CreateJoinTokenAsync(new JoinToken("new", 300), None);

        // Act
        var pruned = await harness.Store.PruneJoinTokensAsync(200, None);

        // Assert
        Assert.That(pruned, Is.EqualTo(1));
        Assert.That(await harness.Store.GetJoinTokenAsync("new", None), Is.Not.Null);
    }

    [Test]
    public async Task Bundles_SetUpdateAppend_BumpSequenceOnlyOnChange()
    {
        // Arrange
        using var harness = new StoreHarness();
        var td = TrustDomain.Parse("partner.test");
        var created = await harness.Store.CreateBundleAsync(new BundleRecord { TrustDomain = td, X509Authorities = [new X509Authority([1, 2, 3])] }, None);

        // Act
        var appendedSame = await harness.Store.AppendBundleAsync(new BundleRecord { TrustDomain = td, X509Authorities = [new X509Authority([1, 2, 3])] }, None);
        var appendedKey = await harness.Store.AppendBundleAsync(new BundleRecord { TrustDomain = td, JwtAuthorities = [new KeyAuthority("k1", [9], 0)] }, None);
        var updated = await harness.Store.UpdateBundleAsync(appendedKey with { RefreshHint = 60 }, None);
        var reloaded = await harness.Reopen().GetBundleAsync(td, None);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(created.SequenceNumber, Is.EqualTo(1UL));
            Assert.That(appendedSame.SequenceNumber, Is.EqualTo(1UL));
            Assert.That(appendedKey.SequenceNumber, Is.EqualTo(2UL));
            Assert.That(updated.SequenceNumber, Is.EqualTo(3UL));
            Assert.That(reloaded!.RefreshHint, Is.EqualTo(60));
            Assert.That(reloaded.JwtAuthorities.Single().KeyId, Is.EqualTo("k1"));
            Assert.That(reloaded.X509Authorities.Single().Der, Is.EqualTo(new byte[] { 1, 2, 3 }));
        });
    }

    [TestCase(0)]
    [TestCase(1)]
    [TestCase(2)]
    public async Task DeleteBundle_ReferencedByEntry_AppliesMode(int modeValue)
    {
        var mode = (BundleDeleteMode)modeValue;

        // Arrange
        using var harness = new StoreHarness();
        var td = TrustDomain.Parse("partner.test");
        await harness.Store.CreateBundleAsync(new BundleRecord { TrustDomain = td }, None);
        var entry = await harness.Store.CreateEntryAsync(Entry() with { FederatesWith = ["partner.test"] }, None);

        // Act
        var ex = mode == BundleDeleteMode.Restrict
            ? Assert.ThrowsAsync<DataStoreException>(() => harness.Store.DeleteBundleAsync(td, mode, None))
            : null;
        if (ex is null)
        {
            await harness.Store.DeleteBundleAsync(td, mode, None);
        }

        var store = harness.Reopen();
        var bundle = await store.GetBundleAsync(td, None);
        var after = await store.GetEntryAsync(entry.Id, None);

        // Assert
        switch (mode)
        {
            case BundleDeleteMode.Restrict:
                Assert.That(ex!.Code, Is.EqualTo(DataStoreErrorCode.FailedPrecondition));
                Assert.That(bundle, Is.Not.Null);
                Assert.That(after!.FederatesWith, Is.EqualTo(new[] { "partner.test" }));
                break;
            case BundleDeleteMode.Delete:
                Assert.That(bundle, Is.Null);
                Assert.That(after, Is.Null);
                break;
            default:
                Assert.That(bundle, Is.Null);
                Assert.That(after!.FederatesWith, Is.Empty);
                Assert.That(after.RevisionNumber, Is.EqualTo(1));
                break;
        }
    }

    [Test]
    public async Task GetAuthorizedEntries_DescendantCycle_Terminates()
    {
        // Arrange
        using var harness = new StoreHarness();
        var a = SpiffeId.Parse("spiffe://example.org/a");
        var b = SpiffeId.Parse("spiffe://example.org/b");
        await harness.Store.CreateEntryAsync(Entry() with { SpiffeId = a, ParentId = Agent }, None);
        await harness.Store.CreateEntryAsync(Entry() with { SpiffeId = b, ParentId = a }, None);
        await harness.Store.CreateEntryAsync(Entry() with { SpiffeId = a, ParentId = b }, None);

        // Act
        var entries = await harness.Store.GetAuthorizedEntriesAsync(Agent, [], None).WaitAsync(TimeSpan.FromSeconds(10));

        // Assert
        Assert.That(entries, Has.Count.EqualTo(3));
    }

    [Test]
    public async Task CaJournal_SaveThenLoad_RoundTrips()
    {
        // Arrange
        using var harness = new StoreHarness();

        // Act
        var before = await harness.Store.LoadCaJournalAsync(None);
        await harness.Store.SaveCaJournalAsync([1, 2], None);
        await harness.Store.SaveCaJournalAsync([3, 4, 5], None);
        var after = await harness.Reopen().LoadCaJournalAsync(None);

        // Assert
        Assert.That(before, Is.Null);
        Assert.That(after, Is.EqualTo(new byte[] { 3, 4, 5 }));
    }

    private static RegistrationEntry Entry() => new()
    {
        SpiffeId = Web,
        ParentId = Agent,
        Selectors = [new Selector("unix", "uid:1000")],
    };

    private static long RowCount(string path, string table)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = table switch
        {
            "entry_selectors" => "SELECT COUNT(*) FROM entry_selectors;",
            "node_selectors" => "SELECT COUNT(*) FROM node_selectors;",
            _ => throw new ArgumentOutOfRangeException(nameof(table)),
        };
        return (long)command.ExecuteScalar()!;
    }

    private static long SchemaVersionInFile(string path)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT version FROM schema_version;";
        return (long)command.ExecuteScalar()!;
    }

    private static void SetSchemaVersion(string path, int version)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "UPDATE schema_version SET version = $v;";
        command.Parameters.AddWithValue("$v", version);
        command.ExecuteNonQuery();
    }
}
