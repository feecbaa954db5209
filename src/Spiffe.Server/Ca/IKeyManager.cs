using System.Security.Cryptography;
using Spiffe.Server.Config;

namespace Spiffe.Server.Ca;

/// <summary>
/// Holds the CA's private keys (X.509 CA, JWT and WIT signing keys) by key ID. <c>KeyManager "disk"</c> persists them
/// in one file with mode 0600; <c>"memory"</c> loses them on restart, so the CA manager makes new ones.
/// </summary>
internal interface IKeyManager
{
    /// <summary>Generates a new key of <paramref name="type"/> under <paramref name="keyId"/>, replacing any key with that ID; durable on return.</summary>
    AsymmetricAlgorithm GenerateKey(string keyId, KeyType type);

    /// <summary>Returns the key with this ID, or <see langword="null"/>.</summary>
    AsymmetricAlgorithm? GetKey(string keyId);

    /// <summary>Deletes keys whose IDs are not in <paramref name="keep"/>; durable on return.</summary>
    void Retain(IReadOnlySet<string> keep);
}
