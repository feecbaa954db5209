using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Spiffe.Server.Config;

namespace Spiffe.Server.Ca;

/// <summary>
/// <c>KeyManager "disk"</c>: keys are kept in memory and written to one JSON file
/// (<c>{"keys":[{"id":…,"type":"ec-p256","pkcs8":"&lt;base64&gt;"}]}</c>) with mode 0600. Writes go to a temporary
/// file in the same directory (created 0600), are flushed to disk, then renamed over the old file, so a crash leaves
/// either the old or the new set.
/// </summary>
internal sealed class DiskKeyManager : IKeyManager
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private readonly string _path;
    private readonly Dictionary<string, (KeyType Type, AsymmetricAlgorithm Key)> _keys = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    private DiskKeyManager(string path)
    {
        _path = path;
    }

    /// <summary>The key file.</summary>
    public string Path => _path;

    /// <summary>Opens the key file (a missing file is an empty set).</summary>
    /// <exception cref="InvalidOperationException">The file exists but cannot be read or parsed.</exception>
    public static DiskKeyManager Open(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var manager = new DiskKeyManager(System.IO.Path.GetFullPath(path));
        if (!File.Exists(manager._path))
        {
            return manager;
        }

        try
        {
            var root = JsonNode.Parse(File.ReadAllBytes(manager._path)) as JsonObject
                ?? throw new InvalidOperationException("not a JSON object");
            foreach (var item in root["keys"]?.AsArray() ?? [])
            {
                var id = item?["id"]?.GetValue<string>() ?? throw new InvalidOperationException("key without id");
                var type = KeyFactory.Parse(item["type"]?.GetValue<string>() ?? string.Empty);
                var pkcs8 = Convert.FromBase64String(item["pkcs8"]?.GetValue<string>() ?? string.Empty);
                manager._keys[id] = (type, KeyFactory.ImportPkcs8(type, pkcs8));
            }
        }
        catch (Exception ex) when (ex is JsonException or FormatException or CryptographicException or InvalidOperationException or IOException)
        {
            throw new InvalidOperationException($"key file \"{manager._path}\" is unreadable: {ex.Message}", ex);
        }

        return manager;
    }

    /// <inheritdoc />
    public AsymmetricAlgorithm GenerateKey(string keyId, KeyType type)
    {
        ArgumentException.ThrowIfNullOrEmpty(keyId);
        var key = KeyFactory.Generate(type);
        lock (_gate)
        {
            _keys[keyId] = (type, key);
            Save();
        }

        return key;
    }

    /// <inheritdoc />
    public AsymmetricAlgorithm? GetKey(string keyId)
    {
        lock (_gate)
        {
            return _keys.TryGetValue(keyId, out var entry) ? entry.Key : null;
        }
    }

    /// <inheritdoc />
    public void Retain(IReadOnlySet<string> keep)
    {
        ArgumentNullException.ThrowIfNull(keep);
        lock (_gate)
        {
            var removed = _keys.Keys.Where(k => !keep.Contains(k)).ToArray();
            if (removed.Length == 0)
            {
                return;
            }

            foreach (var id in removed)
            {
                _keys.Remove(id);
            }

            Save();
        }
    }

    private void Save()
    {
        var keys = new JsonArray();
        foreach (var (id, (type, key)) in _keys.OrderBy(k => k.Key, StringComparer.Ordinal))
        {
            keys.Add(new JsonObject
            {
                ["id"] = id,
                ["type"] = KeyFactory.Name(type),
                ["pkcs8"] = Convert.ToBase64String(key.ExportPkcs8PrivateKey()),
            });
        }

        var bytes = JsonSerializer.SerializeToUtf8Bytes(new JsonObject { ["keys"] = keys });
        var directory = System.IO.Path.GetDirectoryName(_path)!;
        Directory.CreateDirectory(directory);
        var temp = System.IO.Path.Combine(directory, "." + System.IO.Path.GetFileName(_path) + ".tmp");
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerOnly;
        }

        using (var stream = new FileStream(temp, options))
        {
            stream.Write(bytes);
            stream.Flush(flushToDisk: true);
        }

        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(temp, OwnerOnly);
        }

        File.Move(temp, _path, overwrite: true);
    }
}
