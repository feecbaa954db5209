using System.Text.Json;
using System.Text.Json.Nodes;
using Spiffe.Proto.Spire.Types;

namespace Spiffe.Server.Cli.Input;

/// <summary>
/// Parses the <c>-data</c> document of <c>entry create|update</c> (spire-server's registration JSON:
/// <c>{"entries":[{"spiffe_id":"spiffe://…","parent_id":"spiffe://…","selectors":[{"type":…,"value":…}],…}]}</c>)
/// and the <c>-file</c> document of <c>entry delete</c> (<c>{"ids":[…]}</c>). Member names match case-insensitively
/// and unknown members are ignored, as Go's <c>encoding/json</c> does.
/// </summary>
internal static class EntryDataParser
{
    private static readonly JsonNodeOptions NodeOptions = new() { PropertyNameCaseInsensitive = true };

    /// <summary>Parses registration JSON into API entries.</summary>
    /// <param name="json">The document.</param>
    /// <returns>The entries, in document order.</returns>
    /// <exception cref="CliException">The document is malformed or an ID is not a SPIFFE ID.</exception>
    public static List<Entry> ParseEntries(string json)
    {
        var root = ParseObject(json);
        var entries = new List<Entry>();
        if (root["entries"] is not { } list)
        {
            return entries;
        }

        var index = 0;
        foreach (var item in AsArray(list, "entries"))
        {
            var where = $"entries[{index++}]";
            entries.Add(ParseEntry(item as JsonObject ?? throw new CliException($"cannot parse entry data: {where} is not an object")));
        }

        return entries;
    }

    /// <summary>Parses a batch delete document.</summary>
    /// <param name="json">The document, <c>{"ids":["…"]}</c>.</param>
    /// <returns>The entry IDs.</returns>
    /// <exception cref="CliException">The document is malformed.</exception>
    public static List<string> ParseIds(string json)
    {
        var root = ParseObject(json);
        return root["ids"] is { } ids ? StringList(ids, "ids") : [];
    }

    private static Entry ParseEntry(JsonObject item)
    {
        var entry = new Entry
        {
            Id = String(item, "entry_id"),
            X509SvidTtl = Int32(item, "x509_svid_ttl"),
            JwtSvidTtl = Int32(item, "jwt_svid_ttl"),
            Admin = Bool(item, "admin"),
            Downstream = Bool(item, "downstream"),
            ExpiresAt = Int64(item, "entryExpiry"),
            StoreSvid = Bool(item, "store_svid"),
            Hint = String(item, "hint"),
        };

        var spiffeId = String(item, "spiffe_id");
        if (spiffeId.Length > 0)
        {
            entry.SpiffeId = IdParser.ToProto(spiffeId);
        }

        var parentId = String(item, "parent_id");
        if (parentId.Length > 0)
        {
            entry.ParentId = IdParser.ToProto(parentId);
        }

        if (item["selectors"] is { } selectors)
        {
            foreach (var selector in AsArray(selectors, "selectors"))
            {
                var obj = selector as JsonObject ?? throw new CliException("cannot parse entry data: a selector is not an object");
                entry.Selectors.Add(new Selector { Type = String(obj, "type"), Value = String(obj, "value") });
            }
        }

        if (item["federates_with"] is { } federatesWith)
        {
            entry.FederatesWith.AddRange(StringList(federatesWith, "federates_with"));
        }

        if (item["dns_names"] is { } dnsNames)
        {
            entry.DnsNames.AddRange(StringList(dnsNames, "dns_names"));
        }

        if (item["additional_attributes"] is JsonObject attributes)
        {
            entry.AdditionalAttributes = new Entry.Types.AdditionalAttributes
            {
                DisableX509SvidPrefetch = Bool(attributes, "disable_x509_svid_prefetch"),
                JwtSvidIncludeJti = Bool(attributes, "jwt_svid_include_jti"),
            };
        }

        return entry;
    }

    private static JsonObject ParseObject(string json)
    {
        try
        {
            return JsonNode.Parse(json, NodeOptions) as JsonObject ?? throw new CliException("cannot parse entry data: the document is not a JSON object");
        }
        catch (JsonException ex)
        {
            throw new CliException("cannot parse entry data: " + ex.Message, ex);
        }
    }

    private static JsonArray AsArray(JsonNode node, string name) =>
        node as JsonArray ?? throw new CliException($"cannot parse entry data: \"{name}\" is not an array");

    private static List<string> StringList(JsonNode node, string name) =>
        AsArray(node, name).Select(n => Scalar<string>(n, name)).ToList();

    private static string String(JsonObject obj, string name) => obj[name] is { } node ? Scalar<string>(node, name) : string.Empty;

    private static int Int32(JsonObject obj, string name) => obj[name] is { } node ? Scalar<int>(node, name) : 0;

    private static long Int64(JsonObject obj, string name) => obj[name] is { } node ? Scalar<long>(node, name) : 0;

    private static bool Bool(JsonObject obj, string name) => obj[name] is { } node && Scalar<bool>(node, name);

    private static T Scalar<T>(JsonNode? node, string name)
    {
        try
        {
            return node is JsonValue value ? value.GetValue<T>() : throw new CliException($"cannot parse entry data: \"{name}\" has the wrong type");
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException)
        {
            throw new CliException($"cannot parse entry data: \"{name}\" has the wrong type", ex);
        }
    }
}
