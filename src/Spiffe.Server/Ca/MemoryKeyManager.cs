using System.Security.Cryptography;
using Spiffe.Server.Config;

namespace Spiffe.Server.Ca;

/// <summary><c>KeyManager "memory"</c>: keys live only in this process.</summary>
internal sealed class MemoryKeyManager : IKeyManager, IDisposable
{
    private readonly Dictionary<string, AsymmetricAlgorithm> _keys = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <inheritdoc />
    public AsymmetricAlgorithm GenerateKey(string keyId, KeyType type)
    {
        ArgumentException.ThrowIfNullOrEmpty(keyId);
        var key = KeyFactory.Generate(type);
        lock (_gate)
        {
            if (_keys.Remove(keyId, out var old))
            {
                old.Dispose();
            }

            _keys[keyId] = key;
        }

        return key;
    }

    /// <inheritdoc />
    public AsymmetricAlgorithm? GetKey(string keyId)
    {
        lock (_gate)
        {
            return _keys.GetValueOrDefault(keyId);
        }
    }

    /// <inheritdoc />
    public void Retain(IReadOnlySet<string> keep)
    {
        ArgumentNullException.ThrowIfNull(keep);
        lock (_gate)
        {
            foreach (var id in _keys.Keys.Where(k => !keep.Contains(k)).ToArray())
            {
                // Keys may still be referenced by a signer mid-operation; let the GC finalize them.
                _keys.Remove(id);
            }
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_gate)
        {
            _keys.Clear();
        }
    }
}
