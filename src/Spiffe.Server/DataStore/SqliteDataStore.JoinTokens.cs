using Spiffe.Core;

namespace Spiffe.Server.DataStore;

/// <content>Join tokens (read from the file: they are few and short-lived).</content>
internal sealed partial class SqliteDataStore
{
    /// <inheritdoc />
    public Task CreateJoinTokenAsync(JoinToken token, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(token);
        if (string.IsNullOrEmpty(token.Token))
        {
            throw new DataStoreException(DataStoreErrorCode.InvalidArgument, "join token value is empty");
        }

        return WriteAsync(
            tx =>
            {
                using (var check = Command(tx, "SELECT COUNT(*) FROM join_tokens WHERE token = $token;"))
                {
                    check.Parameters.AddWithValue("$token", token.Token);
                    if (Convert.ToInt64(check.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) != 0)
                    {
                        throw new DataStoreException(DataStoreErrorCode.AlreadyExists, "join token already exists");
                    }
                }

                using var command = Command(tx, "INSERT INTO join_tokens (token, expires_at, agent_id) VALUES ($token, $expires, $agent);");
                command.Parameters.AddWithValue("$token", token.Token);
                command.Parameters.AddWithValue("$expires", token.ExpiresAt);
                command.Parameters.AddWithValue("$agent", token.AgentId is { } agent ? agent.ToString() : DBNull.Value);
                command.ExecuteNonQuery();
                return Done(true, () => { });
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public async Task<JoinToken?> GetJoinTokenAsync(string token, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(token);
        await _writeGate.WaitAsync(cancellationToken);
        try
        {
            using var command = Command(null, "SELECT token, expires_at, agent_id FROM join_tokens WHERE token = $token;");
            command.Parameters.AddWithValue("$token", token);
            using var reader = command.ExecuteReader();
            if (!reader.Read())
            {
                return null;
            }

            SpiffeId? agentId = reader.IsDBNull(2) ? null : SpiffeId.Parse(reader.GetString(2));
            return new JoinToken(reader.GetString(0), reader.GetInt64(1), agentId);
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <inheritdoc />
    public Task<bool> DeleteJoinTokenAsync(string token, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(token);
        return WriteAsync(
            tx =>
            {
                using var command = Command(tx, "DELETE FROM join_tokens WHERE token = $token;");
                command.Parameters.AddWithValue("$token", token);
                return Done(command.ExecuteNonQuery() > 0, () => { });
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<int> PruneJoinTokensAsync(long before, CancellationToken cancellationToken) =>
        WriteAsync(
            tx =>
            {
                using var command = Command(tx, "DELETE FROM join_tokens WHERE expires_at < $before;");
                command.Parameters.AddWithValue("$before", before);
                return Done(command.ExecuteNonQuery(), () => { });
            },
            cancellationToken);
}
