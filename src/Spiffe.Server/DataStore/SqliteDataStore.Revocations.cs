using System.Globalization;
using Microsoft.Data.Sqlite;
using Spiffe.Core;

namespace Spiffe.Server.DataStore;

/// <content>The revocation relay (read from the file: agents list it once per sync).</content>
internal sealed partial class SqliteDataStore : IRevocationRelayStore
{
    private const string RevocationColumns = "sequence, kind, credential_id, task_id, spiffe_id, expires_at, revoked_at, reason, agent_id";

    /// <inheritdoc />
    public Task<ulong> PublishRevocationsAsync(IReadOnlyList<StoredRevocation> revocations, long now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(revocations);
        return WriteAsync(
            tx =>
            {
                foreach (var r in revocations.Where(r => r.ExpiresAt > now))
                {
                    // Checked first rather than ON CONFLICT DO NOTHING, which would still use up a sequence number.
                    using var command = Command(tx, """
                        INSERT INTO relayed_revocations (kind, credential_id, task_id, spiffe_id, expires_at, revoked_at, reason, agent_id)
                        SELECT $kind, $credential, $task, $spiffe, $expires, $revoked, $reason, $agent
                        WHERE NOT EXISTS (SELECT 1 FROM relayed_revocations WHERE kind = $kind AND credential_id = $credential);
                        """);
                    command.Parameters.AddWithValue("$kind", KindText(r.Kind));
                    command.Parameters.AddWithValue("$credential", r.CredentialId);
                    command.Parameters.AddWithValue("$task", r.TaskId);
                    command.Parameters.AddWithValue("$spiffe", r.SpiffeId);
                    command.Parameters.AddWithValue("$expires", r.ExpiresAt);
                    command.Parameters.AddWithValue("$revoked", r.RevokedAt);
                    command.Parameters.AddWithValue("$reason", r.Reason);
                    command.Parameters.AddWithValue("$agent", r.AgentId.ToString());
                    command.ExecuteNonQuery();
                }

                return Done(RevocationSequence(tx), () => { });
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public async Task<(IReadOnlyList<StoredRevocation> Revocations, ulong Sequence)> ListRevocationsAsync(ulong afterSequence, long now, CancellationToken cancellationToken)
    {
        await _writeGate.WaitAsync(cancellationToken);
        try
        {
            var sequence = RevocationSequence(null);
            using var command = Command(null, $"SELECT {RevocationColumns} FROM relayed_revocations WHERE sequence > $after AND expires_at > $now ORDER BY sequence;");
            command.Parameters.AddWithValue("$after", afterSequence > sequence ? 0L : (long)afterSequence);
            command.Parameters.AddWithValue("$now", now);
            using var reader = command.ExecuteReader();
            var result = new List<StoredRevocation>();
            while (reader.Read())
            {
                result.Add(ReadRevocation(reader));
            }

            return (result, sequence);
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <inheritdoc />
    public Task<int> PruneRevocationsAsync(long now, CancellationToken cancellationToken) =>
        WriteAsync(
            tx =>
            {
                using var command = Command(tx, "DELETE FROM relayed_revocations WHERE expires_at <= $now;");
                command.Parameters.AddWithValue("$now", now);
                return Done(command.ExecuteNonQuery(), () => { });
            },
            cancellationToken);

    private static string KindText(RelayedCredentialKind kind) => kind == RelayedCredentialKind.Jti ? "jti" : "x509_serial";

    private static StoredRevocation ReadRevocation(SqliteDataReader reader) => new(
        (ulong)reader.GetInt64(0),
        reader.GetString(1) == "jti" ? RelayedCredentialKind.Jti : RelayedCredentialKind.X509Serial,
        reader.GetString(2),
        reader.GetString(3),
        reader.GetString(4),
        reader.GetInt64(5),
        reader.GetInt64(6),
        reader.GetString(7),
        SpiffeId.Parse(reader.GetString(8)));

    // AUTOINCREMENT keeps the highest number ever used in sqlite_sequence, so pruning never lowers it.
    private ulong RevocationSequence(SqliteTransaction? tx)
    {
        using var command = Command(tx, "SELECT seq FROM sqlite_sequence WHERE name = 'relayed_revocations';");
        return command.ExecuteScalar() is { } value and not DBNull ? Convert.ToUInt64(value, CultureInfo.InvariantCulture) : 0;
    }
}
