using System.Threading.Channels;
using Grpc.Core;
using Spiffe.Proto.Spire.Server.Entry.V1;
using ProtoEntry = Spiffe.Proto.Spire.Types.Entry;

namespace Spiffe.Agent.ServerApi.Tests.Entries;

/// <summary>
/// The server side of <c>SyncAuthorizedEntries</c> as SPIRE implements it: one full response when the entries fit a
/// page, otherwise revision pages then full entries for the requested IDs (optionally split into two responses to
/// exercise <c>more</c>). Records what the agent asked for.
/// </summary>
internal sealed class FakeEntrySyncServer
{
    private readonly IReadOnlyList<ProtoEntry> _entries;
    private readonly int _pageSize;
    private readonly bool _splitAnswers;

    public FakeEntrySyncServer(IReadOnlyList<ProtoEntry> entries, int pageSize, bool splitAnswers = false)
    {
        _entries = entries;
        _pageSize = pageSize;
        _splitAnswers = splitAnswers;
    }

    public List<IReadOnlyList<string>> RequestedIds { get; } = [];

    public SyncAuthorizedEntriesRequest? FirstRequest { get; private set; }

    private readonly TaskCompletionSource _agentClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when the agent has half-closed the request stream after its last request.</summary>
    public Task AgentClosedTheStream => _agentClosed.Task;

    public async Task HandleAsync(ChannelReader<SyncAuthorizedEntriesRequest> requests, ChannelWriter<SyncAuthorizedEntriesResponse> responses)
    {
        FirstRequest = await requests.ReadAsync();
        if (FirstRequest.OutputMask is not { RevisionNumber: true } || FirstRequest.Ids.Count > 0)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "bad first request"));
        }

        if (_entries.Count <= _pageSize)
        {
            await responses.WriteAsync(new SyncAuthorizedEntriesResponse { Entries = { _entries } });
            if (!await requests.WaitToReadAsync())
            {
                _agentClosed.SetResult();
            }

            return;
        }

        var pages = _entries.Chunk(_pageSize).ToList();
        for (var i = 0; i < pages.Count; i++)
        {
            var response = new SyncAuthorizedEntriesResponse { More = i < pages.Count - 1 };
            response.EntryRevisions.AddRange(pages[i].Select(e => new EntryRevision { Id = e.Id, RevisionNumber = e.RevisionNumber, CreatedAt = e.CreatedAt }));
            await responses.WriteAsync(response);
        }

        var byId = _entries.ToDictionary(e => e.Id, StringComparer.Ordinal);
        await foreach (var request in requests.ReadAllAsync())
        {
            RequestedIds.Add([.. request.Ids]);
            var answer = request.Ids.Select(id => byId[id]).ToList();
            var parts = _splitAnswers && answer.Count > 1 ? answer.Chunk((answer.Count + 1) / 2).ToList() : [answer.ToArray()];
            for (var i = 0; i < parts.Count; i++)
            {
                await responses.WriteAsync(new SyncAuthorizedEntriesResponse { Entries = { parts[i] }, More = i < parts.Count - 1 });
            }
        }

        _agentClosed.SetResult();
    }
}
