namespace Spiffe.Agent.Core.Cache;

/// <summary>What an entry update changed.</summary>
/// <param name="Total">Entries now cached.</param>
/// <param name="Added">New entry IDs.</param>
/// <param name="Changed">Entries with a new revision or creation time.</param>
/// <param name="Removed">Entries the server no longer lists.</param>
internal sealed record EntryChanges(int Total, int Added, int Changed, int Removed);
