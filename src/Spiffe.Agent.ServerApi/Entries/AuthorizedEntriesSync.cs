using Grpc.Core;
using Spiffe.Agent.Core.Workload;
using Spiffe.Agent.ServerApi.Mapping;
using Spiffe.Proto.Spire.Server.Entry.V1;
using ProtoEntry = Spiffe.Proto.Spire.Types.Entry;

namespace Spiffe.Agent.ServerApi.Entries;

/// <summary>
/// The client side of <c>SyncAuthorizedEntries</c>, as SPIRE's agent runs it: send the output mask; a first response
/// without revisions is the complete list; otherwise read revision pages while <c>more</c>, then request the full
/// entries that are unknown or stale (revision number or creation time differ) in sorted batches of the first page's
/// size, reading each answer while <c>more</c>. Entries the server no longer lists are dropped.
/// </summary>
internal sealed class AuthorizedEntriesSync
{
    private readonly Dictionary<string, RegistrationEntry> _entries;
    private readonly HashSet<string> _unseen;
    private readonly Action<string, string> _onMalformed;

    private AuthorizedEntriesSync(IReadOnlyDictionary<string, RegistrationEntry> cachedEntries, Action<string, string> onMalformed)
    {
        _entries = new Dictionary<string, RegistrationEntry>(cachedEntries, StringComparer.Ordinal);
        _unseen = new HashSet<string>(cachedEntries.Keys, StringComparer.Ordinal);
        _onMalformed = onMalformed;
    }

    /// <summary>Runs the protocol on an open call and returns the complete entry list, ordered by entry ID.</summary>
    /// <param name="call">The open <c>SyncAuthorizedEntries</c> call; the caller disposes it.</param>
    /// <param name="cachedEntries">The entries the agent holds, by ID.</param>
    /// <param name="onMalformed">Called with (entry ID, reason) for each entry or revision that is ignored.</param>
    /// <param name="cancellationToken">Cancels reading.</param>
    /// <exception cref="InvalidDataException">The server broke the protocol.</exception>
    public static async Task<IReadOnlyList<RegistrationEntry>> RunAsync(
        AsyncDuplexStreamingCall<SyncAuthorizedEntriesRequest, SyncAuthorizedEntriesResponse> call,
        IReadOnlyDictionary<string, RegistrationEntry> cachedEntries,
        Action<string, string> onMalformed,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(cachedEntries);
        ArgumentNullException.ThrowIfNull(onMalformed);
        var sync = new AuthorizedEntriesSync(cachedEntries, onMalformed);
        await call.RequestStream.WriteAsync(new SyncAuthorizedEntriesRequest { OutputMask = EntryMapper.OutputMask }, cancellationToken);
        var response = await ReadAsync(call, cancellationToken);
        if (response.EntryRevisions.Count == 0)
        {
            sync.ProcessEntries(response.Entries);
        }
        else
        {
            var pageSize = response.EntryRevisions.Count;
            var needFull = new List<string>();
            sync.ProcessRevisions(response.EntryRevisions, needFull);
            while (response.More)
            {
                response = await ReadAsync(call, cancellationToken);
                if (response.Entries.Count > 0)
                {
                    throw new InvalidDataException("unexpected entries while receiving entry revisions");
                }

                sync.ProcessRevisions(response.EntryRevisions, needFull);
            }

            needFull.Sort(StringComparer.Ordinal);
            for (var start = 0; start < needFull.Count; start += pageSize)
            {
                var request = new SyncAuthorizedEntriesRequest();
                request.Ids.AddRange(needFull.Skip(start).Take(pageSize));
                await call.RequestStream.WriteAsync(request, cancellationToken);
                do
                {
                    response = await ReadAsync(call, cancellationToken);
                    if (response.EntryRevisions.Count > 0)
                    {
                        throw new InvalidDataException("unexpected entry revisions while receiving entries");
                    }

                    sync.ProcessEntries(response.Entries);
                }
                while (response.More);
            }
        }

        await call.RequestStream.CompleteAsync();
        return sync.Result();
    }

    /// <summary>Maps a complete list (<c>GetAuthorizedEntries</c>) the same way, reusing unchanged cached instances.</summary>
    public static IReadOnlyList<RegistrationEntry> FromCompleteList(
        IEnumerable<ProtoEntry> entries,
        IReadOnlyDictionary<string, RegistrationEntry> cachedEntries,
        Action<string, string> onMalformed)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentNullException.ThrowIfNull(cachedEntries);
        ArgumentNullException.ThrowIfNull(onMalformed);
        var sync = new AuthorizedEntriesSync(cachedEntries, onMalformed);
        sync.ProcessEntries(entries);
        return sync.Result();
    }

    private static async Task<SyncAuthorizedEntriesResponse> ReadAsync(
        AsyncDuplexStreamingCall<SyncAuthorizedEntriesRequest, SyncAuthorizedEntriesResponse> call,
        CancellationToken cancellationToken)
    {
        return await call.ResponseStream.MoveNext(cancellationToken)
            ? call.ResponseStream.Current
            : throw new InvalidDataException("the server ended the entry sync stream early");
    }

    private void ProcessRevisions(IEnumerable<EntryRevision> revisions, List<string> needFull)
    {
        foreach (var revision in revisions)
        {
            if (revision.Id.Length == 0 || revision.RevisionNumber < 0)
            {
                _onMalformed(revision.Id, "malformed entry revision");
                continue;
            }

            _unseen.Remove(revision.Id);
            if (!_entries.TryGetValue(revision.Id, out var cached) || IsStale(cached, revision.RevisionNumber, revision.CreatedAt))
            {
                needFull.Add(revision.Id);
            }
        }
    }

    private void ProcessEntries(IEnumerable<ProtoEntry> entries)
    {
        foreach (var entry in entries)
        {
            if (!EntryMapper.TryMap(entry, out var mapped, out var reason))
            {
                _onMalformed(entry.Id, reason);
                continue;
            }

            _unseen.Remove(mapped.Id);
            if (!_entries.TryGetValue(mapped.Id, out var cached) || !cached.IsSameRevision(mapped))
            {
                _entries[mapped.Id] = mapped;
            }
        }
    }

    private static bool IsStale(RegistrationEntry cached, long revisionNumber, long createdAt) =>
        cached.RevisionNumber != revisionNumber || cached.CreatedAt.ToUnixTimeSeconds() != createdAt;

    private List<RegistrationEntry> Result()
    {
        foreach (var id in _unseen)
        {
            _entries.Remove(id);
        }

        return _entries.Values.OrderBy(e => e.Id, StringComparer.Ordinal).ToList();
    }
}
