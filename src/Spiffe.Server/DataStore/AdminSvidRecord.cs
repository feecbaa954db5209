namespace Spiffe.Server.DataStore;

/// <summary>An admin X509-SVID the server signed.</summary>
/// <param name="SerialNumber">The certificate serial number in decimal.</param>
/// <param name="EntryId">The admin entry it was signed for.</param>
/// <param name="ExpiresAt">Its notAfter, Unix seconds.</param>
internal sealed record AdminSvidRecord(string SerialNumber, string EntryId, long ExpiresAt);
