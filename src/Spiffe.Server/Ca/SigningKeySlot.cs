using System.Security.Cryptography;

namespace Spiffe.Server.Ca;

/// <summary>A JWT (or WIT) signing key generation.</summary>
/// <param name="KeyId">The key manager's ID for the private key.</param>
/// <param name="Kid">The JOSE <c>kid</c> published in the bundle and put in token headers.</param>
/// <param name="PublicKey">SubjectPublicKeyInfo DER.</param>
/// <param name="NotBefore">When the key was created.</param>
/// <param name="NotAfter">When the key expires; tokens it signs expire no later.</param>
/// <param name="Key">The private key, or null when lost.</param>
/// <param name="Status">Prepared, active or old.</param>
internal sealed record SigningKeySlot(
    string KeyId,
    string Kid,
    byte[] PublicKey,
    DateTimeOffset NotBefore,
    DateTimeOffset NotAfter,
    AsymmetricAlgorithm? Key,
    SlotStatus Status);
