using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Spiffe.Agent.Tasks.Audit;

/// <summary>
/// The on-disk form of one audit record. The <em>canonical bytes</em> are the compact UTF-8 JSON object with the fields
/// in a fixed order and without <c>hash</c>; the stored line is the canonical bytes with <c>,"hash":"&lt;hex&gt;"</c>
/// inserted before the closing brace, where hash = SHA-256(canonical bytes). <c>prev</c> is the previous record's hash.
/// </summary>
internal static class AuditLine
{
    /// <summary>The <c>prev</c> of the very first record.</summary>
    public static readonly string GenesisHash = new('0', 64);

    private const int HexLength = 64;
    private static readonly byte[] HashMarker = Encoding.ASCII.GetBytes(",\"hash\":\"");
    private static readonly int SealLength = HashMarker.Length + HexLength + 2;

    /// <summary>Serializes <paramref name="record"/> to canonical bytes.</summary>
    public static byte[] Canonical(AuditRecord record, long seq, DateTimeOffset time, string prev)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("seq", seq);
            json.WriteString("time", time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture));
            json.WriteString("event", EventName(record.Event));
            WriteIfPresent(json, "pid", record.Pid);
            WriteIfPresent(json, "uid", record.Uid);
            WriteIfPresent(json, "exe", record.Executable);
            WriteIfPresent(json, "exe_sha256", record.ExecutableSha256);
            WriteIfPresent(json, "cgroup", record.Cgroup);
            WriteIfPresent(json, "task", record.TaskId);
            WriteIfPresent(json, "parent_task", record.ParentTaskId);
            WriteIfPresent(json, "spiffe_id", record.SpiffeId);
            if (record.Audiences is not null)
            {
                json.WriteStartArray("audiences");
                foreach (var audience in record.Audiences)
                {
                    json.WriteStringValue(audience);
                }

                json.WriteEndArray();
            }

            WriteIfPresent(json, "jti", record.Jti);
            WriteIfPresent(json, "proof_jti", record.ProofJti);
            WriteIfPresent(json, "serial", record.Serial);
            WriteIfPresent(json, "ttl_seconds", record.TtlSeconds);
            WriteIfPresent(json, "method", record.Method);
            WriteIfPresent(json, "http_method", record.HttpMethod);
            WriteIfPresent(json, "intent", record.Intent);
            WriteIfPresent(json, "data_class", record.DataClass);
            if (record.Decision is { } decision)
            {
                json.WriteString("decision", decision == AuditDecision.Allow ? "allow" : "deny");
            }

            WriteIfPresent(json, "reason", record.Reason);
            if (record.Policies is not null)
            {
                json.WriteStartArray("policies");
                foreach (var policy in record.Policies)
                {
                    json.WriteStartObject();
                    json.WriteString("name", policy.Name);
                    json.WriteString("sha256", policy.Sha256);
                    json.WriteEndObject();
                }

                json.WriteEndArray();
            }

            json.WriteString("prev", prev);
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>Computes the hash of canonical bytes and returns the stored line (without newline).</summary>
    public static byte[] Seal(byte[] canonical, out string hash)
    {
        hash = Hash(canonical);
        var line = new byte[canonical.Length - 1 + SealLength];
        canonical.AsSpan(0, canonical.Length - 1).CopyTo(line);
        var offset = canonical.Length - 1;
        HashMarker.CopyTo(line, offset);
        Encoding.ASCII.GetBytes(hash, line.AsSpan(offset + HashMarker.Length));
        line[^2] = (byte)'"';
        line[^1] = (byte)'}';
        return line;
    }

    /// <summary>
    /// Splits a stored line into its canonical bytes and stored hash; <see langword="null"/> when the line does not end
    /// in a well-formed hash field.
    /// </summary>
    public static (byte[] Canonical, string Hash)? Unseal(ReadOnlySpan<byte> line)
    {
        if (line.Length <= SealLength || line[^1] != (byte)'}' || line[^2] != (byte)'"')
        {
            return null;
        }

        var markerStart = line.Length - SealLength;
        if (!line.Slice(markerStart, HashMarker.Length).SequenceEqual(HashMarker))
        {
            return null;
        }

        var hex = Encoding.ASCII.GetString(line.Slice(markerStart + HashMarker.Length, HexLength));
        if (!IsLowerHex(hex))
        {
            return null;
        }

        var canonical = new byte[markerStart + 1];
        line[..markerStart].CopyTo(canonical);
        canonical[^1] = (byte)'}';
        return (canonical, hex);
    }

    /// <summary>Reads <c>seq</c> and <c>prev</c> from canonical bytes; <see langword="null"/> when malformed.</summary>
    public static (long Seq, string Prev)? ReadChainFields(byte[] canonical)
    {
        try
        {
            using var document = JsonDocument.Parse(canonical);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object
                && root.TryGetProperty("seq", out var seq) && seq.ValueKind == JsonValueKind.Number && seq.TryGetInt64(out var seqValue)
                && root.TryGetProperty("prev", out var prev) && prev.ValueKind == JsonValueKind.String
                && prev.GetString() is { } prevValue && prevValue.Length == HexLength && IsLowerHex(prevValue))
            {
                return (seqValue, prevValue);
            }

            return null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>SHA-256 of canonical bytes, lowercase hex.</summary>
    public static string Hash(ReadOnlySpan<byte> canonical) => Convert.ToHexStringLower(SHA256.HashData(canonical));

    /// <summary>The snake_case name of an event.</summary>
    public static string EventName(AuditEvent value) => value switch
    {
        AuditEvent.TaskStarted => "task_started",
        AuditEvent.TaskEnded => "task_ended",
        AuditEvent.ProcessAdopted => "process_adopted",
        AuditEvent.Attestation => "attestation",
        AuditEvent.Issue => "issue",
        AuditEvent.Denial => "denial",
        AuditEvent.Revocation => "revocation",
        _ => throw new ArgumentOutOfRangeException(nameof(value), value, "unknown audit event"),
    };

    private static bool IsLowerHex(string value) => value.All(char.IsAsciiHexDigitLower);

    private static void WriteIfPresent(Utf8JsonWriter json, string name, string? value)
    {
        if (value is not null)
        {
            json.WriteString(name, value);
        }
    }

    private static void WriteIfPresent(Utf8JsonWriter json, string name, long? value)
    {
        if (value is { } number)
        {
            json.WriteNumber(name, number);
        }
    }
}
