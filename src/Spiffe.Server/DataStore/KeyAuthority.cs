namespace Spiffe.Server.DataStore;

/// <summary>A JWT (or WIT) signing public key in a bundle.</summary>
/// <param name="KeyId">The <c>kid</c>; non-empty and unique within the bundle.</param>
/// <param name="PublicKey">PKIX SubjectPublicKeyInfo DER.</param>
/// <param name="ExpiresAt">Expiry, Unix seconds; 0 = never.</param>
/// <param name="Tainted">Whether the key is being retired.</param>
internal sealed record KeyAuthority(string KeyId, byte[] PublicKey, long ExpiresAt, bool Tainted = false);
