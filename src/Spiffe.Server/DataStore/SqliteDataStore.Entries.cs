using Microsoft.Data.Sqlite;
using Spiffe.Core;

namespace Spiffe.Server.DataStore;

/// <content>Registration entries.</content>
internal sealed partial class SqliteDataStore
{
    private readonly Dictionary<string, RegistrationEntry> _entries = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _entriesByParent = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _entryIdsByKey = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public Task<RegistrationEntry> CreateEntryAsync(RegistrationEntry entry, CancellationToken cancellationToken)
    {
        var prepared = PrepareNew(entry);
        return WriteAsync(
            tx =>
            {
                lock (_memoryGate)
                {
                    if (_entries.ContainsKey(prepared.Id))
                    {
                        throw new DataStoreException(DataStoreErrorCode.AlreadyExists, $"entry ID \"{prepared.Id}\" already exists");
                    }

                    if (_entryIdsByKey.ContainsKey(UniqueKey(prepared)))
                    {
                        throw new DataStoreException(DataStoreErrorCode.AlreadyExists, "an entry with the same SPIFFE ID, parent ID and selectors already exists");
                    }
                }

                InsertEntry(tx, prepared);
                return Done(prepared, () => Index(prepared));
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<(RegistrationEntry Entry, bool Created)> CreateOrReturnEntryAsync(RegistrationEntry entry, CancellationToken cancellationToken)
    {
        var prepared = PrepareNew(entry);
        return WriteAsync<(RegistrationEntry, bool)>(
            tx =>
            {
                lock (_memoryGate)
                {
                    if (_entryIdsByKey.TryGetValue(UniqueKey(prepared), out var existingId))
                    {
                        return ((_entries[existingId], false), () => { });
                    }

                    if (_entries.ContainsKey(prepared.Id))
                    {
                        throw new DataStoreException(DataStoreErrorCode.AlreadyExists, $"entry ID \"{prepared.Id}\" already exists");
                    }
                }

                InsertEntry(tx, prepared);
                return ((prepared, true), () => Index(prepared));
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<RegistrationEntry?> GetEntryAsync(string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        lock (_memoryGate)
        {
            return Task.FromResult(_entries.GetValueOrDefault(id));
        }
    }

    /// <inheritdoc />
    public Task<Page<RegistrationEntry>> ListEntriesAsync(EntryFilter filter, int pageSize, string? pageToken, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        RegistrationEntry[] snapshot;
        lock (_memoryGate)
        {
            snapshot = CandidateEntries(filter).ToArray();
        }

        var ordered = snapshot.Where(e => MatchesFilter(e, filter)).OrderBy(e => e.Id, StringComparer.Ordinal);
        return Task.FromResult(Paginate(ordered, e => e.Id, pageSize, pageToken));
    }

    /// <inheritdoc />
    public Task<int> CountEntriesAsync(EntryFilter filter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        lock (_memoryGate)
        {
            return Task.FromResult(CandidateEntries(filter).Count(e => MatchesFilter(e, filter)));
        }
    }

    /// <inheritdoc />
    public Task<RegistrationEntry> UpdateEntryAsync(RegistrationEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var normalized = Normalize(entry);
        return WriteAsync(
            tx =>
            {
                RegistrationEntry old;
                lock (_memoryGate)
                {
                    if (!_entries.TryGetValue(normalized.Id, out old!))
                    {
                        throw new DataStoreException(DataStoreErrorCode.NotFound, $"entry \"{normalized.Id}\" not found");
                    }

                    if (_entryIdsByKey.TryGetValue(UniqueKey(normalized), out var other) && other != normalized.Id)
                    {
                        throw new DataStoreException(DataStoreErrorCode.AlreadyExists, "an entry with the same SPIFFE ID, parent ID and selectors already exists");
                    }
                }

                var updated = normalized with { CreatedAt = old.CreatedAt, RevisionNumber = old.RevisionNumber + 1 };
                DeleteEntryRows(tx, updated.Id);
                InsertEntry(tx, updated);
                return Done(updated, () =>
                {
                    Unindex(old);
                    Index(updated);
                });
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<RegistrationEntry?> DeleteEntryAsync(string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        return WriteAsync<RegistrationEntry?>(
            tx =>
            {
                RegistrationEntry? old;
                lock (_memoryGate)
                {
                    old = _entries.GetValueOrDefault(id);
                }

                if (old is null)
                {
                    return (null, () => { });
                }

                DeleteEntryRows(tx, id);
                return Done(old, () => Unindex(old));
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<int> PruneEntriesAsync(long before, CancellationToken cancellationToken) =>
        WriteAsync(
            tx =>
            {
                RegistrationEntry[] expired;
                lock (_memoryGate)
                {
                    expired = _entries.Values.Where(e => e.ExpiresAt != 0 && e.ExpiresAt < before).ToArray();
                }

                foreach (var e in expired)
                {
                    DeleteEntryRows(tx, e.Id);
                }

                return Done(expired.Length, () =>
                {
                    foreach (var e in expired)
                    {
                        Unindex(e);
                    }
                });
            },
            cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<RegistrationEntry>> GetAuthorizedEntriesAsync(SpiffeId agentId, IReadOnlyList<Selector> nodeSelectors, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(nodeSelectors);
        var serverId = SpiffeId.FromPath(agentId.TrustDomain, "/spire/server").ToString();
        var nodeSet = new HashSet<Selector>(nodeSelectors);
        var result = new List<RegistrationEntry>();
        var now = Now;
        lock (_memoryGate)
        {
            var visited = new HashSet<string>(StringComparer.Ordinal) { serverId };
            var queue = new Queue<string>();
            queue.Enqueue(agentId.ToString());
            visited.Add(agentId.ToString());
            if (_entriesByParent.TryGetValue(serverId, out var aliasIds))
            {
                foreach (var alias in aliasIds.Select(i => _entries[i]).Where(e => !IsExpired(e, now)))
                {
                    if (SelectorSets.IsSubset(alias.Selectors, nodeSet) && visited.Add(alias.SpiffeId.ToString()))
                    {
                        queue.Enqueue(alias.SpiffeId.ToString());
                    }
                }
            }

            var seen = new HashSet<string>(StringComparer.Ordinal);
            while (queue.TryDequeue(out var parent))
            {
                if (!_entriesByParent.TryGetValue(parent, out var children))
                {
                    continue;
                }

                foreach (var child in children.Select(i => _entries[i]).Where(e => !IsExpired(e, now)))
                {
                    if (seen.Add(child.Id))
                    {
                        result.Add(child);
                    }

                    if (visited.Add(child.SpiffeId.ToString()))
                    {
                        queue.Enqueue(child.SpiffeId.ToString());
                    }
                }
            }
        }

        result.Sort((a, b) => string.CompareOrdinal(a.Id, b.Id));
        return Task.FromResult<IReadOnlyList<RegistrationEntry>>(result);
    }

    private static bool IsExpired(RegistrationEntry e, long now) => e.ExpiresAt != 0 && e.ExpiresAt <= now;

    private static string UniqueKey(RegistrationEntry e) =>
        e.SpiffeId + "\n" + e.ParentId + "\n" + string.Join('\n', e.Selectors);

    private static RegistrationEntry Normalize(RegistrationEntry entry)
    {
        if (entry.SpiffeId.IsZero || entry.ParentId.IsZero)
        {
            throw new DataStoreException(DataStoreErrorCode.InvalidArgument, "entry SPIFFE ID and parent ID are required");
        }

        if (entry.Selectors is null || entry.Selectors.Count == 0)
        {
            throw new DataStoreException(DataStoreErrorCode.InvalidArgument, "entry must have at least one selector");
        }

        foreach (var s in entry.Selectors)
        {
            if (Selector.Validate(s.Type, s.Value) is { } error)
            {
                throw new DataStoreException(DataStoreErrorCode.InvalidArgument, "invalid selector \"" + s + "\": " + error);
            }
        }

        if (entry.X509SvidTtl < 0 || entry.JwtSvidTtl < 0)
        {
            throw new DataStoreException(DataStoreErrorCode.InvalidArgument, "entry TTLs must not be negative");
        }

        return entry with
        {
            Selectors = SelectorSets.Normalize(entry.Selectors),
            FederatesWith = (entry.FederatesWith ?? []).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray(),
            DnsNames = (entry.DnsNames ?? []).Distinct(StringComparer.Ordinal).ToArray(),
            Hint = entry.Hint ?? string.Empty,
        };
    }

    private RegistrationEntry PrepareNew(RegistrationEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var normalized = Normalize(entry);
        return normalized with
        {
            Id = string.IsNullOrEmpty(entry.Id) ? Guid.NewGuid().ToString() : entry.Id,
            CreatedAt = Now,
            RevisionNumber = 0,
        };
    }

    private IEnumerable<RegistrationEntry> CandidateEntries(EntryFilter filter) =>
        filter.ByParentId is { } parent
            ? _entriesByParent.TryGetValue(parent.ToString(), out var ids) ? ids.Select(i => _entries[i]) : []
            : _entries.Values;

    private static bool MatchesFilter(RegistrationEntry e, EntryFilter f) =>
        (f.BySpiffeId is not { } id || e.SpiffeId == id)
        && (f.ByParentId is not { } parent || e.ParentId == parent)
        && (f.ByHint is not { } hint || string.Equals(e.Hint, hint, StringComparison.Ordinal))
        && (f.ByDownstream is not { } downstream || e.Downstream == downstream)
        && (f.BySelectors is not { } selectors || SelectorSets.Matches(e.Selectors, selectors, f.SelectorMatch))
        && (f.ByFederatesWith is not { } federates || SelectorSets.Matches(e.FederatesWith, federates, f.FederatesWithMatch));

    private void Index(RegistrationEntry e)
    {
        _entries[e.Id] = e;
        var parent = e.ParentId.ToString();
        if (!_entriesByParent.TryGetValue(parent, out var set))
        {
            set = new HashSet<string>(StringComparer.Ordinal);
            _entriesByParent[parent] = set;
        }

        set.Add(e.Id);
        _entryIdsByKey[UniqueKey(e)] = e.Id;
    }

    private void Unindex(RegistrationEntry e)
    {
        _entries.Remove(e.Id);
        var parent = e.ParentId.ToString();
        if (_entriesByParent.TryGetValue(parent, out var set))
        {
            set.Remove(e.Id);
            if (set.Count == 0)
            {
                _entriesByParent.Remove(parent);
            }
        }

        _entryIdsByKey.Remove(UniqueKey(e));
    }

    private void InsertEntry(SqliteTransaction tx, RegistrationEntry e)
    {
        using (var command = Command(tx, """
            INSERT INTO registered_entries (id, spiffe_id, parent_id, x509_svid_ttl, jwt_svid_ttl, admin, downstream,
                expires_at, revision_number, store_svid, hint, created_at, jwt_svid_include_jti, disable_x509_svid_prefetch)
            VALUES ($id, $spiffe_id, $parent_id, $x509_ttl, $jwt_ttl, $admin, $downstream,
                $expires_at, $revision, $store_svid, $hint, $created_at, $jti, $no_prefetch);
            """))
        {
            command.Parameters.AddWithValue("$id", e.Id);
            command.Parameters.AddWithValue("$spiffe_id", e.SpiffeId.ToString());
            command.Parameters.AddWithValue("$parent_id", e.ParentId.ToString());
            command.Parameters.AddWithValue("$x509_ttl", e.X509SvidTtl);
            command.Parameters.AddWithValue("$jwt_ttl", e.JwtSvidTtl);
            command.Parameters.AddWithValue("$admin", e.Admin);
            command.Parameters.AddWithValue("$downstream", e.Downstream);
            command.Parameters.AddWithValue("$expires_at", e.ExpiresAt);
            command.Parameters.AddWithValue("$revision", e.RevisionNumber);
            command.Parameters.AddWithValue("$store_svid", e.StoreSvid);
            command.Parameters.AddWithValue("$hint", e.Hint);
            command.Parameters.AddWithValue("$created_at", e.CreatedAt);
            command.Parameters.AddWithValue("$jti", e.JwtSvidIncludeJti);
            command.Parameters.AddWithValue("$no_prefetch", e.DisableX509SvidPrefetch);
            command.ExecuteNonQuery();
        }

        using (var command = Command(tx, "INSERT INTO entry_selectors (entry_id, type, value) VALUES ($id, $type, $value);"))
        {
            var type = command.Parameters.Add("$type", SqliteType.Text);
            var value = command.Parameters.Add("$value", SqliteType.Text);
            command.Parameters.AddWithValue("$id", e.Id);
            foreach (var s in e.Selectors)
            {
                type.Value = s.Type;
                value.Value = s.Value;
                command.ExecuteNonQuery();
            }
        }

        using (var command = Command(tx, "INSERT INTO entry_federates_with (entry_id, trust_domain) VALUES ($id, $td);"))
        {
            var td = command.Parameters.Add("$td", SqliteType.Text);
            command.Parameters.AddWithValue("$id", e.Id);
            foreach (var name in e.FederatesWith)
            {
                td.Value = name;
                command.ExecuteNonQuery();
            }
        }

        using (var command = Command(tx, "INSERT INTO entry_dns_names (entry_id, position, dns_name) VALUES ($id, $pos, $dns);"))
        {
            var pos = command.Parameters.Add("$pos", SqliteType.Integer);
            var dns = command.Parameters.Add("$dns", SqliteType.Text);
            command.Parameters.AddWithValue("$id", e.Id);
            for (var i = 0; i < e.DnsNames.Count; i++)
            {
                pos.Value = i;
                dns.Value = e.DnsNames[i];
                command.ExecuteNonQuery();
            }
        }
    }

    private void DeleteEntryRows(SqliteTransaction tx, string id)
    {
        using var command = Command(tx, "DELETE FROM registered_entries WHERE id = $id;");
        command.Parameters.AddWithValue("$id", id);
        command.ExecuteNonQuery();
    }

    private void LoadEntries()
    {
        var selectors = new Dictionary<string, List<Selector>>(StringComparer.Ordinal);
        using (var command = Command(null, "SELECT entry_id, type, value FROM entry_selectors;"))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                Add(selectors, reader.GetString(0), new Selector(reader.GetString(1), reader.GetString(2)));
            }
        }

        var federates = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        using (var command = Command(null, "SELECT entry_id, trust_domain FROM entry_federates_with;"))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                Add(federates, reader.GetString(0), reader.GetString(1));
            }
        }

        var dns = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        using (var command = Command(null, "SELECT entry_id, dns_name FROM entry_dns_names ORDER BY entry_id, position;"))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                Add(dns, reader.GetString(0), reader.GetString(1));
            }
        }

        using (var command = Command(null, """
            SELECT id, spiffe_id, parent_id, x509_svid_ttl, jwt_svid_ttl, admin, downstream, expires_at, revision_number,
                store_svid, hint, created_at, jwt_svid_include_jti, disable_x509_svid_prefetch
            FROM registered_entries;
            """))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                var id = reader.GetString(0);
                var entry = new RegistrationEntry
                {
                    Id = id,
                    SpiffeId = SpiffeId.Parse(reader.GetString(1)),
                    ParentId = SpiffeId.Parse(reader.GetString(2)),
                    X509SvidTtl = reader.GetInt32(3),
                    JwtSvidTtl = reader.GetInt32(4),
                    Admin = reader.GetBoolean(5),
                    Downstream = reader.GetBoolean(6),
                    ExpiresAt = reader.GetInt64(7),
                    RevisionNumber = reader.GetInt64(8),
                    StoreSvid = reader.GetBoolean(9),
                    Hint = reader.GetString(10),
                    CreatedAt = reader.GetInt64(11),
                    JwtSvidIncludeJti = reader.GetBoolean(12),
                    DisableX509SvidPrefetch = reader.GetBoolean(13),
                    Selectors = SelectorSets.Normalize(selectors.GetValueOrDefault(id) ?? []),
                    FederatesWith = (federates.GetValueOrDefault(id) ?? []).Order(StringComparer.Ordinal).ToArray(),
                    DnsNames = (IReadOnlyList<string>?)dns.GetValueOrDefault(id)?.ToArray() ?? [],
                };
                Index(entry);
            }
        }
    }

    private static void Add<T>(Dictionary<string, List<T>> map, string key, T value)
    {
        if (!map.TryGetValue(key, out var list))
        {
            list = [];
            map[key] = list;
        }

        list.Add(value);
    }
}
