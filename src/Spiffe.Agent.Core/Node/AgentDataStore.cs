using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;

namespace Spiffe.Agent.Core.Node;

/// <summary>
/// Reads and writes <c>&lt;data_dir&gt;/agent-data.json</c>: <c>{"svid":[PEM…],"bundle":[PEM…],"reattestable":bool}</c>,
/// one PEM certificate per array element. Written atomically with mode 0600. Thread-safe.
/// </summary>
internal sealed class AgentDataStore
{
    /// <summary>The file name inside the data directory.</summary>
    public const string FileName = "agent-data.json";

    private readonly Lock _lock = new();

    /// <summary>Creates the store for a data directory.</summary>
    public AgentDataStore(string dataDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(dataDirectory);
        FilePath = Path.Combine(dataDirectory, FileName);
    }

    /// <summary>The full path of <c>agent-data.json</c>.</summary>
    public string FilePath { get; }

    /// <summary>Returns what is stored, or <see cref="StoredAgentData.Empty"/> when the file does not exist.</summary>
    /// <exception cref="InvalidDataException">The file exists but cannot be parsed.</exception>
    public StoredAgentData Load()
    {
        lock (_lock)
        {
            if (!File.Exists(FilePath))
            {
                return StoredAgentData.Empty;
            }

            try
            {
                using var document = JsonDocument.Parse(File.ReadAllBytes(FilePath));
                var root = document.RootElement;
                return new StoredAgentData(
                    ReadCertificates(root, "svid"),
                    ReadCertificates(root, "bundle"),
                    root.TryGetProperty("reattestable", out var reattestable) && reattestable.GetBoolean());
            }
            catch (Exception ex) when (ex is JsonException or InvalidOperationException or CryptographicException)
            {
                throw new InvalidDataException($"{FilePath} is corrupt: {ex.Message}", ex);
            }
        }
    }

    /// <summary>Replaces the stored data.</summary>
    public void Save(StoredAgentData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            WriteCertificates(writer, "svid", data.SvidChain);
            WriteCertificates(writer, "bundle", data.Bundle);
            writer.WriteBoolean("reattestable", data.Reattestable);
            writer.WriteEndObject();
        }

        lock (_lock)
        {
            SecureFile.WriteAtomically(FilePath, buffer.ToArray());
        }
    }

    private static List<X509Certificate2> ReadCertificates(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out var array) || array.ValueKind == JsonValueKind.Null)
        {
            return [];
        }

        return array.EnumerateArray()
            .Select(element => X509Certificate2.CreateFromPem(element.GetString() ?? string.Empty))
            .ToList();
    }

    private static void WriteCertificates(Utf8JsonWriter writer, string name, IReadOnlyList<X509Certificate2> certificates)
    {
        writer.WriteStartArray(name);
        foreach (var certificate in certificates)
        {
            writer.WriteStringValue(certificate.ExportCertificatePem());
        }

        writer.WriteEndArray();
    }
}
