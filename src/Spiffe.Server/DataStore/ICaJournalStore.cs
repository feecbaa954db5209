namespace Spiffe.Server.DataStore;

/// <summary>
/// Durable storage for the CA journal: the X.509 CA certificates and JWT/WIT key metadata the CA manager rotates
/// through (private keys live in the key manager, not here).
/// </summary>
internal interface ICaJournalStore
{
    /// <summary>Returns the stored journal, or <see langword="null"/> on first start.</summary>
    Task<byte[]?> LoadCaJournalAsync(CancellationToken cancellationToken);

    /// <summary>Replaces the stored journal (durable on return).</summary>
    Task SaveCaJournalAsync(byte[] journal, CancellationToken cancellationToken);
}
