using Microsoft.Data.Sqlite;
using Spiffe.Core;

namespace Spiffe.Server.DataStore;

/// <content>Attested agents.</content>
internal sealed partial class SqliteDataStore
{
    private readonly Dictionary<string, AttestedAgent> _agents = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public Task<AttestedAgent> CreateAttestedAgentAsync(AttestedAgent agent, CancellationToken cancellationToken)
    {
        var normalized = NormalizeAgent(agent);
        return WriteAsync(
            tx =>
            {
                lock (_memoryGate)
                {
                    if (_agents.ContainsKey(normalized.Id.ToString()))
                    {
                        throw new DataStoreException(DataStoreErrorCode.AlreadyExists, $"agent \"{normalized.Id}\" already exists");
                    }
                }

                InsertAgent(tx, normalized);
                return Done(normalized, () => _agents[normalized.Id.ToString()] = normalized);
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<AttestedAgent?> GetAttestedAgentAsync(SpiffeId id, CancellationToken cancellationToken)
    {
        lock (_memoryGate)
        {
            return Task.FromResult(_agents.GetValueOrDefault(id.ToString()));
        }
    }

    /// <inheritdoc />
    public Task<Page<AttestedAgent>> ListAttestedAgentsAsync(AgentFilter filter, int pageSize, string? pageToken, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        AttestedAgent[] snapshot;
        lock (_memoryGate)
        {
            snapshot = _agents.Values.ToArray();
        }

        var ordered = snapshot.Where(a => MatchesFilter(a, filter)).OrderBy(a => a.Id.ToString(), StringComparer.Ordinal);
        return Task.FromResult(Paginate(ordered, a => a.Id.ToString(), pageSize, pageToken));
    }

    /// <inheritdoc />
    public Task<int> CountAttestedAgentsAsync(AgentFilter filter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        lock (_memoryGate)
        {
            return Task.FromResult(_agents.Values.Count(a => MatchesFilter(a, filter)));
        }
    }

    /// <inheritdoc />
    public Task<AttestedAgent> UpdateAttestedAgentAsync(AttestedAgent agent, CancellationToken cancellationToken)
    {
        var normalized = NormalizeAgent(agent);
        return WriteAsync(
            tx =>
            {
                lock (_memoryGate)
                {
                    if (!_agents.ContainsKey(normalized.Id.ToString()))
                    {
                        throw new DataStoreException(DataStoreErrorCode.NotFound, $"agent \"{normalized.Id}\" not found");
                    }
                }

                DeleteAgentRows(tx, normalized.Id);
                InsertAgent(tx, normalized);
                return Done(normalized, () => _agents[normalized.Id.ToString()] = normalized);
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<AttestedAgent?> DeleteAttestedAgentAsync(SpiffeId id, CancellationToken cancellationToken) =>
        WriteAsync<AttestedAgent?>(
            tx =>
            {
                AttestedAgent? old;
                lock (_memoryGate)
                {
                    old = _agents.GetValueOrDefault(id.ToString());
                }

                if (old is null)
                {
                    return (null, () => { });
                }

                DeleteAgentRows(tx, id);
                return Done(old, () => _agents.Remove(id.ToString()));
            },
            cancellationToken);

    private static AttestedAgent NormalizeAgent(AttestedAgent agent)
    {
        ArgumentNullException.ThrowIfNull(agent);
        if (agent.Id.IsZero)
        {
            throw new DataStoreException(DataStoreErrorCode.InvalidArgument, "agent ID is required");
        }

        if (string.IsNullOrEmpty(agent.AttestationType))
        {
            throw new DataStoreException(DataStoreErrorCode.InvalidArgument, "agent attestation type is required");
        }

        foreach (var s in agent.Selectors ?? [])
        {
            if (Selector.Validate(s.Type, s.Value) is { } error)
            {
                throw new DataStoreException(DataStoreErrorCode.InvalidArgument, "invalid selector \"" + s + "\": " + error);
            }
        }

        return agent with
        {
            Selectors = SelectorSets.Normalize(agent.Selectors ?? []),
            SerialNumber = agent.SerialNumber ?? string.Empty,
            NewSerialNumber = agent.NewSerialNumber ?? string.Empty,
            AgentVersion = agent.AgentVersion ?? string.Empty,
        };
    }

    private static bool MatchesFilter(AttestedAgent a, AgentFilter f) =>
        (f.ByAttestationType is not { } type || string.Equals(a.AttestationType, type, StringComparison.Ordinal))
        && (f.ByBanned is not { } banned || a.Banned == banned)
        && (f.ByCanReattest is not { } reattest || a.CanReattest == reattest)
        && (f.ByExpiresBefore is not { } before || a.ExpiresAt < before)
        && (f.BySelectors is not { } selectors || SelectorSets.Matches(a.Selectors, selectors, f.SelectorMatch));

    private void InsertAgent(SqliteTransaction tx, AttestedAgent a)
    {
        using (var command = Command(tx, """
            INSERT INTO attested_nodes (spiffe_id, attestation_type, serial_number, expires_at, new_serial_number,
                new_expires_at, banned, can_reattest, agent_version)
            VALUES ($id, $type, $serial, $expires, $new_serial, $new_expires, $banned, $reattest, $version);
            """))
        {
            command.Parameters.AddWithValue("$id", a.Id.ToString());
            command.Parameters.AddWithValue("$type", a.AttestationType);
            command.Parameters.AddWithValue("$serial", a.SerialNumber);
            command.Parameters.AddWithValue("$expires", a.ExpiresAt);
            command.Parameters.AddWithValue("$new_serial", a.NewSerialNumber);
            command.Parameters.AddWithValue("$new_expires", a.NewExpiresAt);
            command.Parameters.AddWithValue("$banned", a.Banned);
            command.Parameters.AddWithValue("$reattest", a.CanReattest);
            command.Parameters.AddWithValue("$version", a.AgentVersion);
            command.ExecuteNonQuery();
        }

        using (var command = Command(tx, "INSERT INTO node_selectors (spiffe_id, type, value) VALUES ($id, $type, $value);"))
        {
            var type = command.Parameters.Add("$type", SqliteType.Text);
            var value = command.Parameters.Add("$value", SqliteType.Text);
            command.Parameters.AddWithValue("$id", a.Id.ToString());
            foreach (var s in a.Selectors)
            {
                type.Value = s.Type;
                value.Value = s.Value;
                command.ExecuteNonQuery();
            }
        }
    }

    private void DeleteAgentRows(SqliteTransaction tx, SpiffeId id)
    {
        using var command = Command(tx, "DELETE FROM attested_nodes WHERE spiffe_id = $id;");
        command.Parameters.AddWithValue("$id", id.ToString());
        command.ExecuteNonQuery();
    }

    private void LoadAgents()
    {
        var selectors = new Dictionary<string, List<Selector>>(StringComparer.Ordinal);
        using (var command = Command(null, "SELECT spiffe_id, type, value FROM node_selectors;"))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                Add(selectors, reader.GetString(0), new Selector(reader.GetString(1), reader.GetString(2)));
            }
        }

        using (var command = Command(null, """
            SELECT spiffe_id, attestation_type, serial_number, expires_at, new_serial_number, new_expires_at, banned,
                can_reattest, agent_version
            FROM attested_nodes;
            """))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                var id = reader.GetString(0);
                _agents[id] = new AttestedAgent
                {
                    Id = SpiffeId.Parse(id),
                    AttestationType = reader.GetString(1),
                    SerialNumber = reader.GetString(2),
                    ExpiresAt = reader.GetInt64(3),
                    NewSerialNumber = reader.GetString(4),
                    NewExpiresAt = reader.GetInt64(5),
                    Banned = reader.GetBoolean(6),
                    CanReattest = reader.GetBoolean(7),
                    AgentVersion = reader.GetString(8),
                    Selectors = SelectorSets.Normalize(selectors.GetValueOrDefault(id) ?? []),
                };
            }
        }
    }
}
