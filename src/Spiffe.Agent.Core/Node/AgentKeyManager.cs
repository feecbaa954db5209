using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;

namespace Spiffe.Agent.Core.Node;

/// <summary>
/// Holds the agent SVID's private keys (EC P-256) in two alternating slots, <c>agent-svid-A</c> and
/// <c>agent-svid-B</c>, so the key in use survives until its replacement has an SVID. The disk variant persists the
/// slots to <c>keys.json</c> (mode 0600, atomic replace) as base64 PKCS#8; the memory variant forgets them on restart.
/// Thread-safe.
/// </summary>
internal sealed class AgentKeyManager
{
    /// <summary>The file name of the disk variant's key file.</summary>
    public const string KeysFileName = "keys.json";

    private static readonly string[] s_slots = ["agent-svid-A", "agent-svid-B"];

    private readonly string? _keysFile;
    private readonly Lock _lock = new();
    private Dictionary<string, ECDsa>? _keys;

    private AgentKeyManager(string? keysFile)
    {
        _keysFile = keysFile;
    }

    /// <summary>True when keys outlive the process.</summary>
    public bool IsPersistent => _keysFile is not null;

    /// <summary>Creates the key manager <see cref="AgentOptions.KeyManager"/> selects.</summary>
    public static AgentKeyManager Create(AgentOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.KeyManager == AgentKeyManagerKind.Disk
            ? new AgentKeyManager(Path.Combine(options.DataDirectory, KeysFileName))
            : new AgentKeyManager(null);
    }

    /// <summary>Returns the key whose public key is <paramref name="publicKey"/>, or null.</summary>
    /// <exception cref="InvalidDataException">The key file is corrupt.</exception>
    public ECDsa? FindKey(PublicKey publicKey)
    {
        ArgumentNullException.ThrowIfNull(publicKey);
        var wanted = publicKey.ExportSubjectPublicKeyInfo();
        lock (_lock)
        {
            return Keys().Values.FirstOrDefault(key => key.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(wanted));
        }
    }

    /// <summary>
    /// Generates a new key into the slot that does not hold <paramref name="keep"/> (the key in use) and persists it.
    /// </summary>
    /// <exception cref="InvalidDataException">The key file is corrupt.</exception>
    public ECDsa GenerateKey(ECDsa? keep)
    {
        lock (_lock)
        {
            var keys = Keys();
            var slot = s_slots.First(s => keep is null || !keys.TryGetValue(s, out var existing) || !ReferenceEquals(existing, keep));
            var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            keys[slot] = key;
            Save(keys);
            return key;
        }
    }

    private Dictionary<string, ECDsa> Keys()
    {
        if (_keys is not null)
        {
            return _keys;
        }

        _keys = new Dictionary<string, ECDsa>(StringComparer.Ordinal);
        if (_keysFile is null || !File.Exists(_keysFile))
        {
            return _keys;
        }

        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(_keysFile));
            foreach (var slot in document.RootElement.GetProperty("keys").EnumerateObject())
            {
                var key = ECDsa.Create();
                key.ImportPkcs8PrivateKey(Convert.FromBase64String(slot.Value.GetString() ?? string.Empty), out _);
                _keys[slot.Name] = key;
            }
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException or CryptographicException)
        {
            _keys = null;
            throw new InvalidDataException($"the agent key file {_keysFile} is corrupt: {ex.Message}", ex);
        }

        return _keys;
    }

    private void Save(Dictionary<string, ECDsa> keys)
    {
        if (_keysFile is null)
        {
            return;
        }

        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartObject("keys");
            foreach (var (slot, key) in keys.OrderBy(k => k.Key, StringComparer.Ordinal))
            {
                writer.WriteString(slot, Convert.ToBase64String(key.ExportPkcs8PrivateKey()));
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        SecureFile.WriteAtomically(_keysFile, buffer.ToArray());
    }
}
