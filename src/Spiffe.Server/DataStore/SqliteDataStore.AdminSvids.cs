namespace Spiffe.Server.DataStore;

/// <content>Admin SVID serials (read from the file: admin calls are rare).</content>
internal sealed partial class SqliteDataStore : IAdminSvidStore
{
    /// <inheritdoc />
    public Task RecordAdminSvidsAsync(IReadOnlyList<AdminSvidRecord> svids, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(svids);
        return WriteAsync(
            tx =>
            {
                foreach (var svid in svids)
                {
                    using var command = Command(tx, """
                        INSERT INTO admin_svids (serial_number, entry_id, expires_at) VALUES ($serial, $entry, $expires)
                        ON CONFLICT (serial_number) DO UPDATE SET entry_id = excluded.entry_id, expires_at = excluded.expires_at;
                        """);
                    command.Parameters.AddWithValue("$serial", svid.SerialNumber);
                    command.Parameters.AddWithValue("$entry", svid.EntryId);
                    command.Parameters.AddWithValue("$expires", svid.ExpiresAt);
                    command.ExecuteNonQuery();
                }

                return Done(true, () => { });
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public async Task<string?> GetAdminSvidEntryAsync(string serialNumber, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(serialNumber);
        await _writeGate.WaitAsync(cancellationToken);
        try
        {
            using var command = Command(null, "SELECT entry_id FROM admin_svids WHERE serial_number = $serial;");
            command.Parameters.AddWithValue("$serial", serialNumber);
            return command.ExecuteScalar() as string;
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <inheritdoc />
    public Task<int> PruneAdminSvidsAsync(long now, CancellationToken cancellationToken) =>
        WriteAsync(
            tx =>
            {
                using var command = Command(tx, "DELETE FROM admin_svids WHERE expires_at <= $now;");
                command.Parameters.AddWithValue("$now", now);
                return Done(command.ExecuteNonQuery(), () => { });
            },
            cancellationToken);
}
