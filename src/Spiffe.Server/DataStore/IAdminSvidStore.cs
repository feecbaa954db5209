namespace Spiffe.Server.DataStore;

/// <summary>
/// Remembers which admin entry each admin X509-SVID was signed for (by serial number), so that a caller presenting an
/// admin SVID can be tied to one entry, and through its parent to one agent, even when several agents' admin
/// entries share a SPIFFE ID. Implemented by <c>SqliteDataStore</c>.
/// </summary>
internal interface IAdminSvidStore
{
    /// <summary>Records SVIDs (serial in decimal, as <c>SerialNumbers.ToDecimal</c>); a serial already recorded is replaced.</summary>
    Task RecordAdminSvidsAsync(IReadOnlyList<AdminSvidRecord> svids, CancellationToken cancellationToken);

    /// <summary>Returns the ID of the entry the SVID with this serial was signed for, or <see langword="null"/>.</summary>
    Task<string?> GetAdminSvidEntryAsync(string serialNumber, CancellationToken cancellationToken);

    /// <summary>Forgets SVIDs that expired at or before <paramref name="now"/>; returns how many.</summary>
    Task<int> PruneAdminSvidsAsync(long now, CancellationToken cancellationToken);
}
