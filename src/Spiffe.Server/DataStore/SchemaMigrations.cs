namespace Spiffe.Server.DataStore;

/// <summary>
/// The ordered schema migrations. Step <c>i</c> (1-based) moves the schema from version <c>i - 1</c> to <c>i</c>; the
/// applied version is kept in <c>schema_version</c>. Steps are append-only: never edit a released step, add one.
/// </summary>
internal static class SchemaMigrations
{
    /// <summary>The migration steps, oldest first.</summary>
    public static IReadOnlyList<string> Steps { get; } =
    [
        // 1: entries, agents, join tokens, bundles, CA journal.
        """
        CREATE TABLE registered_entries (
            id TEXT PRIMARY KEY NOT NULL,
            spiffe_id TEXT NOT NULL,
            parent_id TEXT NOT NULL,
            x509_svid_ttl INTEGER NOT NULL,
            jwt_svid_ttl INTEGER NOT NULL,
            admin INTEGER NOT NULL,
            downstream INTEGER NOT NULL,
            expires_at INTEGER NOT NULL,
            revision_number INTEGER NOT NULL,
            store_svid INTEGER NOT NULL,
            hint TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            jwt_svid_include_jti INTEGER NOT NULL,
            disable_x509_svid_prefetch INTEGER NOT NULL
        );
        CREATE INDEX registered_entries_parent_id ON registered_entries (parent_id);
        CREATE INDEX registered_entries_spiffe_id ON registered_entries (spiffe_id);
        CREATE TABLE entry_selectors (
            entry_id TEXT NOT NULL REFERENCES registered_entries (id) ON DELETE CASCADE,
            type TEXT NOT NULL,
            value TEXT NOT NULL,
            PRIMARY KEY (entry_id, type, value)
        );
        CREATE INDEX entry_selectors_type_value ON entry_selectors (type, value);
        CREATE TABLE entry_federates_with (
            entry_id TEXT NOT NULL REFERENCES registered_entries (id) ON DELETE CASCADE,
            trust_domain TEXT NOT NULL,
            PRIMARY KEY (entry_id, trust_domain)
        );
        CREATE TABLE entry_dns_names (
            entry_id TEXT NOT NULL REFERENCES registered_entries (id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            dns_name TEXT NOT NULL,
            PRIMARY KEY (entry_id, position)
        );
        CREATE TABLE attested_nodes (
            spiffe_id TEXT PRIMARY KEY NOT NULL,
            attestation_type TEXT NOT NULL,
            serial_number TEXT NOT NULL,
            expires_at INTEGER NOT NULL,
            new_serial_number TEXT NOT NULL,
            new_expires_at INTEGER NOT NULL,
            banned INTEGER NOT NULL,
            can_reattest INTEGER NOT NULL,
            agent_version TEXT NOT NULL
        );
        CREATE TABLE node_selectors (
            spiffe_id TEXT NOT NULL REFERENCES attested_nodes (spiffe_id) ON DELETE CASCADE,
            type TEXT NOT NULL,
            value TEXT NOT NULL,
            PRIMARY KEY (spiffe_id, type, value)
        );
        CREATE TABLE join_tokens (
            token TEXT PRIMARY KEY NOT NULL,
            expires_at INTEGER NOT NULL,
            agent_id TEXT NULL
        );
        CREATE TABLE bundles (
            trust_domain TEXT PRIMARY KEY NOT NULL,
            data BLOB NOT NULL
        );
        CREATE TABLE ca_journal (
            id INTEGER PRIMARY KEY NOT NULL CHECK (id = 1),
            data BLOB NOT NULL
        );
        """,

        // 2: the revocation relay (sequence never reused: AUTOINCREMENT) and which admin entry each admin SVID serial
        // was signed for (task grants).
        """
        CREATE TABLE relayed_revocations (
            sequence INTEGER PRIMARY KEY AUTOINCREMENT,
            kind TEXT NOT NULL,
            credential_id TEXT NOT NULL,
            task_id TEXT NOT NULL,
            spiffe_id TEXT NOT NULL,
            expires_at INTEGER NOT NULL,
            revoked_at INTEGER NOT NULL,
            reason TEXT NOT NULL,
            agent_id TEXT NOT NULL,
            UNIQUE (kind, credential_id)
        );
        CREATE INDEX relayed_revocations_expires_at ON relayed_revocations (expires_at);
        CREATE TABLE admin_svids (
            serial_number TEXT PRIMARY KEY NOT NULL,
            entry_id TEXT NOT NULL,
            expires_at INTEGER NOT NULL
        );
        CREATE INDEX admin_svids_expires_at ON admin_svids (expires_at);
        """,
    ];
}
