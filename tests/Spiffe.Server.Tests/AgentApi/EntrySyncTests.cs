using System.Globalization;
using Grpc.Core;
using Spiffe.Core;
using Spiffe.Proto.Spire.Server.Entry.V1;
using Spiffe.Proto.Spire.Types;
using Spiffe.Server.DataStore;
using Spiffe.Server.Tests.Infrastructure;
using EntryClient = Spiffe.Proto.Spire.Server.Entry.V1.Entry.EntryClient;

namespace Spiffe.Server.Tests.AgentFacing;

[TestFixture]
public sealed class EntrySyncTests
{
    private static readonly EntryMask AgentMask = new()
    {
        SpiffeId = true,
        Selectors = true,
        FederatesWith = true,
        Admin = true,
        Downstream = true,
        RevisionNumber = true,
        StoreSvid = true,
        Hint = true,
        AdditionalAttributes = true,
        CreatedAt = true,
    };

    [Test]
    public async Task GetAuthorizedEntries_ChildrenAliasesAndDescendants_ReturnsExactlyTheAuthorizedSet()
    {
        // Arrange
        await using var server = await TestServer.StartAsync();
        var agent = await AttestAsync(server);
        var stored = await server.DataStore.GetAttestedAgentAsync(agent.Id, CancellationToken.None).DefaultTimeout();
        await server.DataStore.UpdateAttestedAgentAsync(
            stored! with { Selectors = [new DataStore.Selector("test", "cluster:a"), new DataStore.Selector("test", "zone:1")] },
            CancellationToken.None).DefaultTimeout();
        var direct = await server.CreateEntryAsync(Id("/direct"), agent.Id, "unix:uid:1");
        var grandchild = await server.CreateEntryAsync(Id("/grandchild"), Id("/direct"), "unix:uid:2");
        await server.CreateEntryAsync(Id("/alias"), server.ServerId, "test:cluster:a");
        var underAlias = await server.CreateEntryAsync(Id("/under-alias"), Id("/alias"), "unix:uid:3");
        await server.CreateEntryAsync(Id("/other-alias"), server.ServerId, "test:cluster:a", "test:zone:2");
        await server.CreateEntryAsync(Id("/under-other-alias"), Id("/other-alias"), "unix:uid:4");
        await server.CreateEntryAsync(Id("/unrelated"), Id("/nobody"), "unix:uid:5");
        using var channel = agent.CreateChannel();

        // Act
        var response = await new EntryClient(channel).GetAuthorizedEntriesAsync(new GetAuthorizedEntriesRequest { OutputMask = AgentMask }).ResponseAsync.DefaultTimeout();

        // Assert
        Assert.That(response.Entries.Select(e => e.Id), Is.EquivalentTo(new[] { direct.Id, grandchild.Id, underAlias.Id }));
        Assert.That(response.Entries.All(e => e.ParentId is null && e.DnsNames.Count == 0), Is.True);
    }

    [Test]
    public async Task GetAuthorizedEntries_JoinTokenWithAgentId_CreatesAliasEntryOnAttestation()
    {
        // Arrange
        await using var server = await TestServer.StartAsync();
        var token = await server.CreateJoinTokenAsync(agentId: Id("/host"));
        var agent = new TestAgent(server, await server.GetTrustAnchorsAsync());
        await agent.AttestJoinTokenAsync(token);
        var workload = await server.CreateEntryAsync(Id("/workload"), Id("/host"), "unix:uid:1000");
        using var channel = agent.CreateChannel();

        // Act
        var response = await new EntryClient(channel).GetAuthorizedEntriesAsync(new GetAuthorizedEntriesRequest()).ResponseAsync.DefaultTimeout();

        // Assert
        Assert.That(response.Entries.Select(e => e.SpiffeId.Path), Is.EquivalentTo(new[] { "/host", "/workload" }));
        Assert.That(response.Entries.Single(e => e.SpiffeId.Path == "/host").Selectors.Single().Value, Is.EqualTo(agent.Id.ToString()));
        Assert.That(response.Entries.Any(e => e.Id == workload.Id), Is.True);
    }

    [Test]
    public async Task SyncAuthorizedEntries_FiveHundredEntries_SendsOneFullResponseWithoutRevisions()
    {
        // Arrange
        await using var server = await TestServer.StartAsync();
        var agent = await AttestAsync(server);
        await CreateEntriesAsync(server, agent.Id, 500);
        using var channel = agent.CreateChannel();
        using var call = new EntryClient(channel).SyncAuthorizedEntries();

        // Act
        await call.RequestStream.WriteAsync(new SyncAuthorizedEntriesRequest { OutputMask = AgentMask }).DefaultTimeout();
        var responses = await ReadUntilEndAsync(call);

        // Assert
        Assert.That(responses, Has.Count.EqualTo(1));
        Assert.That(responses[0].EntryRevisions, Is.Empty);
        Assert.That(responses[0].Entries, Has.Count.EqualTo(500));
        Assert.That(responses[0].More, Is.False);
    }

    [Test]
    public async Task SyncAuthorizedEntries_MoreThanFiveHundred_PagesRevisionsThenServesRequestedIds()
    {
        // Arrange
        await using var server = await TestServer.StartAsync();
        var agent = await AttestAsync(server);
        var created = await CreateEntriesAsync(server, agent.Id, 1203);
        var updated = await server.DataStore.UpdateEntryAsync(created[7] with { Hint = "changed" }, CancellationToken.None).DefaultTimeout();
        using var channel = agent.CreateChannel();
        using var call = new EntryClient(channel).SyncAuthorizedEntries();

        // Act
        await call.RequestStream.WriteAsync(new SyncAuthorizedEntriesRequest { OutputMask = AgentMask }).DefaultTimeout();
        var revisionPages = new List<SyncAuthorizedEntriesResponse>();
        do
        {
            Assert.That(await call.ResponseStream.MoveNext(CancellationToken.None).DefaultTimeout(), Is.True);
            revisionPages.Add(call.ResponseStream.Current);
        }
        while (call.ResponseStream.Current.More);

        var revisions = revisionPages.SelectMany(p => p.EntryRevisions).ToArray();
        var ids = revisions.Select(r => r.Id).Order(StringComparer.Ordinal).ToArray();
        var entries = new List<Proto.Spire.Types.Entry>();
        var entryPages = 0;
        foreach (var batch in ids.Chunk(revisionPages[0].EntryRevisions.Count))
        {
            var request = new SyncAuthorizedEntriesRequest();
            request.Ids.AddRange(batch);
            await call.RequestStream.WriteAsync(request).DefaultTimeout();
            do
            {
                Assert.That(await call.ResponseStream.MoveNext(CancellationToken.None).DefaultTimeout(), Is.True);
                entries.AddRange(call.ResponseStream.Current.Entries);
                entryPages++;
            }
            while (call.ResponseStream.Current.More);
        }

        await call.RequestStream.CompleteAsync().DefaultTimeout();
        var trailing = await call.ResponseStream.MoveNext(CancellationToken.None).DefaultTimeout();

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(revisionPages.Select(p => (p.EntryRevisions.Count, p.More, p.Entries.Count)), Is.EqualTo(new[] { (500, true, 0), (500, true, 0), (203, false, 0) }));
            Assert.That(revisions.Single(r => r.Id == updated.Id).RevisionNumber, Is.EqualTo(1));
            Assert.That(revisions.All(r => r.CreatedAt > 0), Is.True);
            Assert.That(entries.Select(e => e.Id), Is.EquivalentTo(created.Select(e => e.Id)));
            Assert.That(entries.Single(e => e.Id == updated.Id).Hint, Is.EqualTo("changed"));
            Assert.That(entryPages, Is.EqualTo(3));
            Assert.That(trailing, Is.False);
        });
    }

    [Test]
    public async Task SyncAuthorizedEntries_IdsInFirstRequest_FailsInvalidArgument()
    {
        // Arrange
        await using var server = await TestServer.StartAsync();
        var agent = await AttestAsync(server);
        using var channel = agent.CreateChannel();
        using var call = new EntryClient(channel).SyncAuthorizedEntries();

        // Act
        await call.RequestStream.WriteAsync(new SyncAuthorizedEntriesRequest { OutputMask = AgentMask, Ids = { "x" } }).DefaultTimeout();
        var ex = Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(CancellationToken.None).DefaultTimeout());

        // Assert
        Assert.That(ex!.StatusCode, Is.EqualTo(StatusCode.InvalidArgument));
    }

    [Test]
    public async Task SyncAuthorizedEntries_MaskWithoutRevisionNumber_FailsInvalidArgument()
    {
        // Arrange
        await using var server = await TestServer.StartAsync();
        var agent = await AttestAsync(server);
        using var channel = agent.CreateChannel();
        using var call = new EntryClient(channel).SyncAuthorizedEntries();

        // Act
        await call.RequestStream.WriteAsync(new SyncAuthorizedEntriesRequest { OutputMask = new EntryMask { SpiffeId = true } }).DefaultTimeout();
        var ex = Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(CancellationToken.None).DefaultTimeout());

        // Assert
        Assert.That(ex!.StatusCode, Is.EqualTo(StatusCode.InvalidArgument));
        Assert.That(ex.Status.Detail, Does.Contain("revision"));
    }

    private static SpiffeId Id(string path) => SpiffeId.FromPath(TestServer.TrustDomain, path);

    private static async Task<List<RegistrationEntry>> CreateEntriesAsync(TestServer server, SpiffeId parent, int count)
    {
        var created = new List<RegistrationEntry>(count);
        for (var i = 0; i < count; i++)
        {
            created.Add(await server.DataStore.CreateEntryAsync(
                new RegistrationEntry
                {
                    SpiffeId = Id("/w/" + i.ToString(CultureInfo.InvariantCulture)),
                    ParentId = parent,
                    Selectors = [new DataStore.Selector("unix", "uid:" + i.ToString(CultureInfo.InvariantCulture))],
                },
                CancellationToken.None).DefaultTimeout());
        }

        return created;
    }

    private static async Task<List<SyncAuthorizedEntriesResponse>> ReadUntilEndAsync(AsyncDuplexStreamingCall<SyncAuthorizedEntriesRequest, SyncAuthorizedEntriesResponse> call)
    {
        var responses = new List<SyncAuthorizedEntriesResponse>();
        while (await call.ResponseStream.MoveNext(CancellationToken.None).DefaultTimeout())
        {
            responses.Add(call.ResponseStream.Current);
        }

        return responses;
    }

    private static async Task<TestAgent> AttestAsync(TestServer server)
    {
        var agent = new TestAgent(server, await server.GetTrustAnchorsAsync());
        await agent.AttestJoinTokenAsync(await server.CreateJoinTokenAsync());
        return agent;
    }
}
