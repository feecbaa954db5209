using Grpc.Core;
using Spiffe.Proto.Spire.Server.Entry.V1;
using Spiffe.Server.Api;
using Spiffe.Server.DataStore;

namespace Spiffe.Server.AgentFacing;

/// <summary>
/// Agent-facing part of <c>spire.api.server.entry.v1.Entry</c>: <c>GetAuthorizedEntries</c> and the paged
/// <c>SyncAuthorizedEntries</c> (≤ <see cref="PageSize"/> entries: one full response; more: revision pages, then
/// entries for the IDs the agent asks for).
/// </summary>
internal sealed class EntryService : Proto.Spire.Server.Entry.V1.Entry.EntryBase
{
    /// <summary>Entries or revisions per sync response page (SPIRE's value).</summary>
    public const int PageSize = 500;

    private readonly IDataStore _store;
    private readonly CallerAuthorizer _authorizer;

    /// <summary>Creates the service.</summary>
    public EntryService(IDataStore store, CallerAuthorizer authorizer)
    {
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _authorizer = authorizer ?? throw new ArgumentNullException(nameof(authorizer));
    }

    /// <inheritdoc />
    public override async Task<GetAuthorizedEntriesResponse> GetAuthorizedEntries(GetAuthorizedEntriesRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        var agent = await _authorizer.AuthorizeAgentAsync(context);
        var entries = await _store.GetAuthorizedEntriesAsync(agent.Id, agent.Selectors, context.CancellationToken);
        var response = new GetAuthorizedEntriesResponse();
        response.Entries.AddRange(entries.Select(e => EntryMapping.ToProto(e, request.OutputMask)));
        return response;
    }

    /// <inheritdoc />
    public override async Task SyncAuthorizedEntries(IAsyncStreamReader<SyncAuthorizedEntriesRequest> requestStream, IServerStreamWriter<SyncAuthorizedEntriesResponse> responseStream, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(requestStream);
        ArgumentNullException.ThrowIfNull(responseStream);
        ArgumentNullException.ThrowIfNull(context);
        var agent = await _authorizer.AuthorizeAgentAsync(context);
        var cancellationToken = context.CancellationToken;
        if (!await requestStream.MoveNext(cancellationToken))
        {
            return;
        }

        var first = requestStream.Current;
        if (first.Ids.Count > 0)
        {
            throw RpcErrors.Status(StatusCode.InvalidArgument, "ids may not be set in the first request");
        }

        var mask = first.OutputMask;
        if (mask is not null && !mask.RevisionNumber)
        {
            throw RpcErrors.Status(StatusCode.InvalidArgument, "revision number is required in the output mask");
        }

        var entries = await _store.GetAuthorizedEntriesAsync(agent.Id, agent.Selectors, cancellationToken);
        if (entries.Count <= PageSize)
        {
            var full = new SyncAuthorizedEntriesResponse();
            full.Entries.AddRange(entries.Select(e => EntryMapping.ToProto(e, mask)));
            await responseStream.WriteAsync(full, cancellationToken);
            return;
        }

        for (var offset = 0; offset < entries.Count; offset += PageSize)
        {
            var page = new SyncAuthorizedEntriesResponse { More = offset + PageSize < entries.Count };
            page.EntryRevisions.AddRange(entries.Skip(offset).Take(PageSize).Select(e => new EntryRevision
            {
                Id = e.Id,
                RevisionNumber = e.RevisionNumber,
                CreatedAt = e.CreatedAt,
            }));
            await responseStream.WriteAsync(page, cancellationToken);
        }

        var byId = entries.ToDictionary(e => e.Id, StringComparer.Ordinal);
        while (await requestStream.MoveNext(cancellationToken))
        {
            var wanted = requestStream.Current.Ids.Select(id => byId.GetValueOrDefault(id)).OfType<RegistrationEntry>().ToArray();
            if (wanted.Length == 0)
            {
                await responseStream.WriteAsync(new SyncAuthorizedEntriesResponse(), cancellationToken);
                continue;
            }

            for (var offset = 0; offset < wanted.Length; offset += PageSize)
            {
                var page = new SyncAuthorizedEntriesResponse { More = offset + PageSize < wanted.Length };
                page.Entries.AddRange(wanted.Skip(offset).Take(PageSize).Select(e => EntryMapping.ToProto(e, mask)));
                await responseStream.WriteAsync(page, cancellationToken);
            }
        }
    }
}
