using System.Globalization;
using Spiffe.Agent.Core.Workload;
using Spiffe.Agent.ServerApi.Entries;
using Spiffe.Agent.ServerApi.Mapping;
using Spiffe.Agent.ServerApi.Tests.Fakes;
using Spiffe.Proto.Spire.Server.Entry.V1;
using Spiffe.Proto.Spire.Types;
using EntryService = Spiffe.Proto.Spire.Server.Entry.V1.Entry;

namespace Spiffe.Agent.ServerApi.Tests.Entries;

[TestFixture]
public sealed class AuthorizedEntriesSyncTests
{
    private const string SyncMethod = "/spire.api.server.entry.v1.Entry/SyncAuthorizedEntries";

    [Test]
    public async Task RunAsync_FitsOnePage_TakesTheFullListAndDropsUnlisted()
    {
        // Arrange
        var server = new FakeEntrySyncServer([ProtoEntry(1), ProtoEntry(2)], pageSize: 500);
        var cached = Cached(ProtoEntry(2), ProtoEntry(99));

        // Act
        var result = await RunAsync(server, cached);

        // Assert
        Assert.That(result.Select(e => e.Id), Is.EqualTo(new[] { Id(1), Id(2) }));
        Assert.That(result[1], Is.SameAs(cached[Id(2)]), "an unchanged cached entry keeps its instance");
        Assert.That(server.FirstRequest!.OutputMask, Is.EqualTo(EntryMapper.OutputMask));
        await server.AgentClosedTheStream.DefaultTimeout();
    }

    [Test]
    public async Task RunAsync_EmptyFirstResponse_DropsEverything()
    {
        // Arrange
        var server = new FakeEntrySyncServer([], pageSize: 500);

        // Act
        var result = await RunAsync(server, Cached(ProtoEntry(1)));

        // Assert
        Assert.That(result, Is.Empty);
    }

    [Test]
    public async Task RunAsync_RevisionPages_RequestsOnlyMissingAndStaleEntriesInSortedPageSizedBatches()
    {
        // Arrange: 1 200 entries on the server, page size 500
        var onServer = Enumerable.Range(0, 1200).Select(ProtoEntry).ToList();
        var cachedEntries = new List<Spiffe.Proto.Spire.Types.Entry>();
        for (var i = 0; i < 1200; i += 2)
        {
            var copy = onServer[i].Clone();
            if (i % 10 == 0)
            {
                copy.RevisionNumber = 0;
            }
            else if (i % 10 == 2)
            {
                copy.CreatedAt = 1;
            }

            cachedEntries.Add(copy);
        }

        cachedEntries.Add(ProtoEntry(5000));
        var cached = Cached([.. cachedEntries]);
        var server = new FakeEntrySyncServer(onServer, pageSize: 500, splitAnswers: true);

        // Act
        var result = await RunAsync(server, cached);

        // Assert: 600 unknown + 120 old revision + 120 reused IDs = 840 requested, in batches of 500 and 340
        Assert.That(result, Has.Count.EqualTo(1200));
        Assert.That(result.Select(e => e.Id), Is.EqualTo(onServer.Select(e => e.Id).Order(StringComparer.Ordinal)));
        Assert.That(result.Select(e => e.RevisionNumber), Is.All.EqualTo(3));
        Assert.That(server.RequestedIds.Select(r => r.Count), Is.EqualTo(new[] { 500, 340 }));
        var requested = server.RequestedIds.SelectMany(r => r).ToList();
        Assert.That(requested, Is.Ordered.Using((IComparer<string>)StringComparer.Ordinal));
        Assert.That(requested, Is.Unique);
        var unchanged = Id(4);
        Assert.That(requested, Does.Not.Contain(unchanged));
        Assert.That(result.Single(e => e.Id == unchanged), Is.SameAs(cached[unchanged]));
        await server.AgentClosedTheStream.DefaultTimeout();
    }

    [Test]
    public async Task RunAsync_MalformedEntry_IsReportedAndSkipped()
    {
        // Arrange
        var malformed = ProtoEntry(2);
        malformed.Selectors.Clear();
        var server = new FakeEntrySyncServer([ProtoEntry(1), malformed], pageSize: 500);
        var reports = new List<(string, string)>();

        // Act
        var result = await RunAsync(server, Cached(), (id, reason) => reports.Add((id, reason)));

        // Assert
        Assert.That(result.Select(e => e.Id), Is.EqualTo(new[] { Id(1) }));
        Assert.That(reports, Is.EqualTo(new[] { (Id(2), "no selectors") }));
    }

    [Test]
    public void RunAsync_EntriesInsideRevisionPages_IsAProtocolError()
    {
        // Arrange
        var invoker = new FakeCallInvoker();
        invoker.OnDuplex<SyncAuthorizedEntriesRequest, SyncAuthorizedEntriesResponse>(SyncMethod, async (requests, responses) =>
        {
            await requests.ReadAsync();
            await responses.WriteAsync(new SyncAuthorizedEntriesResponse { EntryRevisions = { new EntryRevision { Id = "a", RevisionNumber = 1 } }, More = true });
            await responses.WriteAsync(new SyncAuthorizedEntriesResponse { Entries = { ProtoEntry(1) } });
        });
        using var call = new EntryService.EntryClient(invoker).SyncAuthorizedEntries();

        // Act + Assert
        Assert.ThrowsAsync<InvalidDataException>(async () =>
            await AuthorizedEntriesSync.RunAsync(call, Cached(), (_, _) => { }, CancellationToken.None).DefaultTimeout());
    }

    [Test]
    public void FromCompleteList_ReusesUnchangedAndDropsUnlisted()
    {
        // Arrange
        var cached = Cached(ProtoEntry(1), ProtoEntry(2));
        var changed = ProtoEntry(2);
        changed.RevisionNumber = 4;

        // Act
        var result = AuthorizedEntriesSync.FromCompleteList([ProtoEntry(1), changed, ProtoEntry(3)], cached, (_, _) => { });

        // Assert
        Assert.That(result.Select(e => (e.Id, e.RevisionNumber)), Is.EqualTo(new[] { (Id(1), 3L), (Id(2), 4L), (Id(3), 3L) }));
        Assert.That(result[0], Is.SameAs(cached[Id(1)]));
    }

    private static async Task<IReadOnlyList<RegistrationEntry>> RunAsync(
        FakeEntrySyncServer server,
        IReadOnlyDictionary<string, RegistrationEntry> cached,
        Action<string, string>? onMalformed = null)
    {
        var invoker = new FakeCallInvoker();
        invoker.OnDuplex<SyncAuthorizedEntriesRequest, SyncAuthorizedEntriesResponse>(SyncMethod, server.HandleAsync);
        using var call = new EntryService.EntryClient(invoker).SyncAuthorizedEntries();
        return await AuthorizedEntriesSync.RunAsync(call, cached, onMalformed ?? ((_, _) => { }), CancellationToken.None).DefaultTimeout();
    }

    private static string Id(int i) => "entry-" + i.ToString("D5", CultureInfo.InvariantCulture);

    private static Spiffe.Proto.Spire.Types.Entry ProtoEntry(int i) => new()
    {
        Id = Id(i),
        SpiffeId = new SPIFFEID { TrustDomain = "example.org", Path = "/workload/" + i.ToString(CultureInfo.InvariantCulture) },
        Selectors = { new Selector { Type = "unix", Value = "uid:" + i.ToString(CultureInfo.InvariantCulture) } },
        RevisionNumber = 3,
        CreatedAt = 1_700_000_000 + i,
    };

    private static Dictionary<string, RegistrationEntry> Cached(params Spiffe.Proto.Spire.Types.Entry[] entries) =>
        entries.Select(e => EntryMapper.TryMap(e, out var mapped, out _) ? mapped : throw new InvalidOperationException())
            .ToDictionary(e => e.Id, StringComparer.Ordinal);
}
