using Grpc.Core;
using Spiffe.Server.Tests.Infrastructure;
using Grpc.Net.Client;
using Spiffe.Proto.Spire.Types;
using EntryApi = Spiffe.Proto.Spire.Server.Entry.V1;

namespace Spiffe.Server.Tests.AdminApi;

/// <summary>The Entry admin RPCs over the real admin socket, on a real SQLite file.</summary>
[TestFixture]
public sealed class EntryAdminServiceTests
{
    private TestServer server = null!;
    private GrpcChannel channel = null!;
    private EntryApi.Entry.EntryClient client = null!;

    [OneTimeSetUp]
    public async Task StartServer()
    {
        this.server = await TestServer.StartAsync();
        this.channel = this.server.CreateAdminChannel();
        this.client = new EntryApi.Entry.EntryClient(this.channel);
    }

    [OneTimeTearDown]
    public async Task StopServer()
    {
        this.channel.Dispose();
        await this.server.DisposeAsync();
    }

    [Test]
    public async Task BatchCreateEntry_NewEntry_ReturnsOkWithStoredEntry()
    {
        // Arrange
        var entry = NewEntry("/create/new", "/spire/agent/join_token/a", "unix:uid:1000");

        // Act
        var response = await this.client.BatchCreateEntryAsync(Batch(entry)).ResponseAsync.DefaultTimeout();

        // Assert
        var result = response.Results.Single();
        Assert.That(result.Status.Code, Is.EqualTo((int)StatusCode.OK));
        Assert.That(result.Entry.Id, Is.Not.Empty);
        Assert.That(result.Entry.SpiffeId, Is.EqualTo(entry.SpiffeId));
        Assert.That(result.Entry.RevisionNumber, Is.Zero);
        Assert.That(result.Entry.CreatedAt, Is.GreaterThan(0));
        var stored = await this.client.GetEntryAsync(new EntryApi.GetEntryRequest { Id = result.Entry.Id }).ResponseAsync.DefaultTimeout();
        Assert.That(stored, Is.EqualTo(result.Entry));
    }

    [Test]
    public async Task BatchCreateEntry_SameIdParentAndSelectors_ReturnsAlreadyExistsWithExistingEntry()
    {
        // Arrange
        var first = (await this.client.BatchCreateEntryAsync(Batch(NewEntry("/create/dup", "/agent/a", "unix:uid:1", "unix:gid:2"))).ResponseAsync.DefaultTimeout()).Results[0].Entry;
        var duplicate = NewEntry("/create/dup", "/agent/a", "unix:gid:2", "unix:uid:1");
        duplicate.Hint = "different hint, same identity";

        // Act
        var response = await this.client.BatchCreateEntryAsync(Batch(duplicate)).ResponseAsync.DefaultTimeout();

        // Assert
        var result = response.Results.Single();
        Assert.That(result.Status.Code, Is.EqualTo((int)StatusCode.AlreadyExists));
        Assert.That(result.Status.Message, Is.EqualTo("similar entry already exists"));
        Assert.That(result.Entry, Is.EqualTo(first));
        Assert.That(await this.CountAsync(new EntryApi.CountEntriesRequest.Types.Filter { BySpiffeId = Id("/create/dup") }), Is.EqualTo(1));
    }

    [Test]
    public async Task BatchCreateEntry_InvalidItems_FailPerItemWithoutStoringThem()
    {
        // Arrange
        var valid = NewEntry("/create/mixed-ok", "/agent/a", "unix:uid:1");
        var foreign = NewEntry("/create/mixed-foreign", "/agent/a", "unix:uid:1");
        foreign.SpiffeId.TrustDomain = "other.org";
        var noSelectors = NewEntry("/create/mixed-none", "/agent/a");
        var colonType = NewEntry("/create/mixed-colon", "/agent/a");
        colonType.Selectors.Add(new Selector { Type = "unix:uid", Value = "1" });
        var before = await this.CountAsync(new EntryApi.CountEntriesRequest.Types.Filter());

        // Act
        var response = await this.client.BatchCreateEntryAsync(Batch(foreign, valid, noSelectors, colonType)).ResponseAsync.DefaultTimeout();

        // Assert
        Assert.That(response.Results.Select(r => (StatusCode)r.Status.Code), Is.EqualTo(new[]
        {
            StatusCode.InvalidArgument, StatusCode.OK, StatusCode.InvalidArgument, StatusCode.InvalidArgument,
        }));
        Assert.That(response.Results[0].Status.Message, Is.EqualTo("failed to convert entry: invalid spiffe ID: \"spiffe://other.org/create/mixed-foreign\" is not a member of trust domain \"example.org\""));
        Assert.That(response.Results[2].Status.Message, Is.EqualTo("failed to convert entry: selector list is empty"));
        Assert.That(response.Results[3].Status.Message, Is.EqualTo("failed to convert entry: invalid selector \"unix:uid:1\": selector type contains ':'"));
        Assert.That(response.Results[0].Entry, Is.Null);
        Assert.That(await this.CountAsync(new EntryApi.CountEntriesRequest.Types.Filter()), Is.EqualTo(before + 1));
    }

    [Test]
    public async Task BatchCreateEntry_OutputMask_ReturnsOnlyMaskedFields()
    {
        // Arrange
        var request = Batch(NewEntry("/create/masked", "/agent/a", "unix:uid:1"));
        request.OutputMask = new EntryMask { SpiffeId = true };

        // Act
        var entry = (await this.client.BatchCreateEntryAsync(request).ResponseAsync.DefaultTimeout()).Results[0].Entry;

        // Assert
        Assert.That(entry.Id, Is.Not.Empty);
        Assert.That(entry.SpiffeId, Is.EqualTo(Id("/create/masked")));
        Assert.That(entry.ParentId, Is.Null);
        Assert.That(entry.Selectors, Is.Empty);
        Assert.That(entry.CreatedAt, Is.Zero);
    }

    [Test]
    public async Task BatchUpdateEntry_InputMask_ChangesMaskedFieldsAndBumpsRevision()
    {
        // Arrange
        var created = await this.CreateAsync(NewEntry("/update/masked", "/agent/a", "unix:uid:1"));
        var change = new Entry { Id = created.Id, Hint = "updated", X509SvidTtl = 120, ParentId = Id("/ignored") };
        var request = new EntryApi.BatchUpdateEntryRequest { InputMask = new EntryMask { Hint = true, X509SvidTtl = true } };
        request.Entries.Add(change);

        // Act
        var result = (await this.client.BatchUpdateEntryAsync(request).ResponseAsync.DefaultTimeout()).Results.Single();

        // Assert
        Assert.That(result.Status.Code, Is.EqualTo((int)StatusCode.OK));
        Assert.That(result.Entry.RevisionNumber, Is.EqualTo(created.RevisionNumber + 1));
        Assert.That(result.Entry.Hint, Is.EqualTo("updated"));
        Assert.That(result.Entry.X509SvidTtl, Is.EqualTo(120));
        Assert.That(result.Entry.ParentId, Is.EqualTo(created.ParentId));
        Assert.That(result.Entry.Selectors, Is.EqualTo(created.Selectors));
        Assert.That(result.Entry.CreatedAt, Is.EqualTo(created.CreatedAt));
    }

    [Test]
    public async Task BatchUpdateEntry_InvalidOrUnknown_FailsPerItemAndLeavesEntryUnchanged()
    {
        // Arrange
        var created = await this.CreateAsync(NewEntry("/update/invalid", "/agent/a", "unix:uid:1"));
        var request = new EntryApi.BatchUpdateEntryRequest { InputMask = new EntryMask { Selectors = true } };
        request.Entries.Add(new Entry { Id = created.Id });
        request.Entries.Add(new Entry { Id = "no-such-entry", Selectors = { new Selector { Type = "a", Value = "b" } } });
        request.Entries.Add(new Entry());

        // Act
        var results = (await this.client.BatchUpdateEntryAsync(request).ResponseAsync.DefaultTimeout()).Results;

        // Assert
        Assert.That(results.Select(r => (StatusCode)r.Status.Code), Is.EqualTo(new[] { StatusCode.InvalidArgument, StatusCode.NotFound, StatusCode.InvalidArgument }));
        Assert.That(results[0].Status.Message, Is.EqualTo("failed to convert entry: selector list is empty"));
        Assert.That(results[2].Status.Message, Is.EqualTo("failed to convert entry: missing entry ID"));
        var stored = await this.client.GetEntryAsync(new EntryApi.GetEntryRequest { Id = created.Id }).ResponseAsync.DefaultTimeout();
        Assert.That(stored, Is.EqualTo(created));
    }

    [Test]
    public async Task BatchDeleteEntry_ExistingMissingAndEmpty_ReportsEachId()
    {
        // Arrange
        var created = await this.CreateAsync(NewEntry("/delete/one", "/agent/a", "unix:uid:1"));
        var request = new EntryApi.BatchDeleteEntryRequest { Ids = { created.Id, "no-such-entry", string.Empty } };

        // Act
        var results = (await this.client.BatchDeleteEntryAsync(request).ResponseAsync.DefaultTimeout()).Results;

        // Assert
        Assert.That(results.Select(r => r.Id), Is.EqualTo(new[] { created.Id, "no-such-entry", string.Empty }));
        Assert.That(results.Select(r => (StatusCode)r.Status.Code), Is.EqualTo(new[] { StatusCode.OK, StatusCode.NotFound, StatusCode.InvalidArgument }));
        var ex = Assert.ThrowsAsync<RpcException>(async () => await this.client.GetEntryAsync(new EntryApi.GetEntryRequest { Id = created.Id }).ResponseAsync.DefaultTimeout());
        Assert.That(ex!.StatusCode, Is.EqualTo(StatusCode.NotFound));
        Assert.That(ex.Status.Detail, Is.EqualTo("entry not found"));
    }

    [Test]
    public void GetEntry_EmptyId_IsInvalidArgument()
    {
        // Act
        var ex = Assert.ThrowsAsync<RpcException>(async () => await this.client.GetEntryAsync(new EntryApi.GetEntryRequest()).ResponseAsync.DefaultTimeout());

        // Assert
        Assert.That(ex!.StatusCode, Is.EqualTo(StatusCode.InvalidArgument));
        Assert.That(ex.Status.Detail, Is.EqualTo("missing ID"));
    }

    [Test]
    public async Task ListEntries_EachFilter_ReturnsExactlyTheMatchingEntries()
    {
        // Arrange: a private parent keeps other tests' entries out.
        const string parent = "/filters/agent";
        var a = NewEntry("/filters/a", parent, "unix:uid:1", "unix:gid:1");
        a.Hint = "alpha";
        a.FederatesWith.Add("one.org");
        var b = NewEntry("/filters/b", parent, "unix:uid:1");
        b.Downstream = true;
        b.FederatesWith.Add("one.org");
        b.FederatesWith.Add("two.org");
        var c = NewEntry("/filters/c", parent, "unix:uid:2");
        var created = (await this.client.BatchCreateEntryAsync(Batch(a, b, c)).ResponseAsync.DefaultTimeout()).Results.Select(r => r.Entry.SpiffeId.Path).ToList();
        Assert.That(created, Has.Count.EqualTo(3));

        // Act / Assert
        Assert.That(await this.ListPathsAsync(parent, f => f.BySpiffeId = Id("/filters/b")), Is.EqualTo(new[] { "/filters/b" }));
        Assert.That(await this.ListPathsAsync(parent, _ => { }), Is.EqualTo(new[] { "/filters/a", "/filters/b", "/filters/c" }));
        Assert.That(await this.ListPathsAsync(parent, f => f.BySelectors = Match(SelectorMatch.Types.MatchBehavior.MatchExact, "unix:uid:1")), Is.EqualTo(new[] { "/filters/b" }));
        Assert.That(await this.ListPathsAsync(parent, f => f.BySelectors = Match(SelectorMatch.Types.MatchBehavior.MatchSuperset, "unix:uid:1")), Is.EqualTo(new[] { "/filters/a", "/filters/b" }));
        Assert.That(await this.ListPathsAsync(parent, f => f.BySelectors = Match(SelectorMatch.Types.MatchBehavior.MatchSubset, "unix:uid:1", "unix:uid:2")), Is.EqualTo(new[] { "/filters/b", "/filters/c" }));
        Assert.That(await this.ListPathsAsync(parent, f => f.BySelectors = Match(SelectorMatch.Types.MatchBehavior.MatchAny, "unix:gid:1", "unix:uid:2")), Is.EqualTo(new[] { "/filters/a", "/filters/c" }));
        Assert.That(
            await this.ListPathsAsync(parent, f => f.ByFederatesWith = new FederatesWithMatch { TrustDomains = { "spiffe://one.org" }, Match = FederatesWithMatch.Types.MatchBehavior.MatchExact }),
            Is.EqualTo(new[] { "/filters/a" }));
        Assert.That(
            await this.ListPathsAsync(parent, f => f.ByFederatesWith = new FederatesWithMatch { TrustDomains = { "two.org" }, Match = FederatesWithMatch.Types.MatchBehavior.MatchSuperset }),
            Is.EqualTo(new[] { "/filters/b" }));
        Assert.That(await this.ListPathsAsync(parent, f => f.ByHint = "alpha"), Is.EqualTo(new[] { "/filters/a" }));
        Assert.That(await this.ListPathsAsync(parent, f => f.ByDownstream = true), Is.EqualTo(new[] { "/filters/b" }));
        Assert.That(await this.ListPathsAsync(parent, f => f.ByDownstream = false), Is.EqualTo(new[] { "/filters/a", "/filters/c" }));
    }

    [Test]
    public async Task ListEntries_PageSize_VisitsEveryEntryOnce()
    {
        // Arrange
        const string parent = "/paging/agent";
        var entries = Enumerable.Range(0, 7).Select(i => NewEntry($"/paging/{i}", parent, "unix:uid:" + i)).ToArray();
        await this.client.BatchCreateEntryAsync(Batch(entries)).ResponseAsync.DefaultTimeout();
        var filter = new EntryApi.ListEntriesRequest.Types.Filter { ByParentId = Id(parent) };
        var seen = new List<string>();
        var pages = 0;
        var token = string.Empty;

        // Act
        do
        {
            var page = await this.client.ListEntriesAsync(new EntryApi.ListEntriesRequest { Filter = filter, PageSize = 3, PageToken = token }).ResponseAsync.DefaultTimeout();
            Assert.That(page.Entries, Has.Count.LessThanOrEqualTo(3));
            seen.AddRange(page.Entries.Select(e => e.SpiffeId.Path));
            token = page.NextPageToken;
            pages++;
        }
        while (token.Length > 0);

        // Assert
        Assert.That(seen, Is.EquivalentTo(entries.Select(e => e.SpiffeId.Path)));
        Assert.That(pages, Is.GreaterThanOrEqualTo(3));
    }

    [Test]
    public async Task CountEntries_Filter_CountsMatchingEntries()
    {
        // Arrange
        const string parent = "/count/agent";
        await this.client.BatchCreateEntryAsync(Batch(NewEntry("/count/a", parent, "k8s:ns:a"), NewEntry("/count/b", parent, "k8s:ns:b"))).ResponseAsync.DefaultTimeout();

        // Act
        var all = await this.CountAsync(new EntryApi.CountEntriesRequest.Types.Filter { ByParentId = Id(parent) });
        var one = await this.CountAsync(new EntryApi.CountEntriesRequest.Types.Filter { ByParentId = Id(parent), BySelectors = Match(SelectorMatch.Types.MatchBehavior.MatchExact, "k8s:ns:b") });

        // Assert
        Assert.That(all, Is.EqualTo(2));
        Assert.That(one, Is.EqualTo(1));
    }

    [Test]
    public void ListEntries_EmptySelectorFilter_IsInvalidArgumentNamingTheFilter()
    {
        // Arrange
        var request = new EntryApi.ListEntriesRequest { Filter = new EntryApi.ListEntriesRequest.Types.Filter { BySelectors = new SelectorMatch() } };

        // Act
        var ex = Assert.ThrowsAsync<RpcException>(async () => await this.client.ListEntriesAsync(request).ResponseAsync.DefaultTimeout());

        // Assert
        Assert.That(ex!.StatusCode, Is.EqualTo(StatusCode.InvalidArgument));
        Assert.That(ex.Status.Detail, Is.EqualTo("malformed selectors filter: empty selector set"));
    }

    internal const string TrustDomain = "example.org";

    internal static SPIFFEID Id(string path) => new() { TrustDomain = TrustDomain, Path = path };

    internal static Entry NewEntry(string path, string parentPath, params string[] selectors)
    {
        var entry = new Entry { SpiffeId = Id(path), ParentId = Id(parentPath) };
        foreach (var selector in selectors)
        {
            var colon = selector.IndexOf(':', StringComparison.Ordinal);
            entry.Selectors.Add(new Selector { Type = selector[..colon], Value = selector[(colon + 1)..] });
        }

        return entry;
    }

    private static EntryApi.BatchCreateEntryRequest Batch(params Entry[] entries)
    {
        var request = new EntryApi.BatchCreateEntryRequest();
        request.Entries.AddRange(entries);
        return request;
    }

    private static SelectorMatch Match(SelectorMatch.Types.MatchBehavior behavior, params string[] selectors)
    {
        var match = new SelectorMatch { Match = behavior };
        match.Selectors.AddRange(NewEntry("/x", "/y", selectors).Selectors);
        return match;
    }

    private async Task<Entry> CreateAsync(Entry entry)
    {
        var result = (await this.client.BatchCreateEntryAsync(Batch(entry)).ResponseAsync.DefaultTimeout()).Results.Single();
        Assert.That(result.Status.Code, Is.EqualTo((int)StatusCode.OK), result.Status.Message);
        return result.Entry;
    }

    private async Task<int> CountAsync(EntryApi.CountEntriesRequest.Types.Filter filter) =>
        (await this.client.CountEntriesAsync(new EntryApi.CountEntriesRequest { Filter = filter }).ResponseAsync.DefaultTimeout()).Count;

    private async Task<List<string>> ListPathsAsync(string parentPath, Action<EntryApi.ListEntriesRequest.Types.Filter> configure)
    {
        var filter = new EntryApi.ListEntriesRequest.Types.Filter { ByParentId = Id(parentPath) };
        configure(filter);
        var response = await this.client.ListEntriesAsync(new EntryApi.ListEntriesRequest { Filter = filter }).ResponseAsync.DefaultTimeout();
        return response.Entries.Select(e => e.SpiffeId.Path).Order(StringComparer.Ordinal).ToList();
    }
}
