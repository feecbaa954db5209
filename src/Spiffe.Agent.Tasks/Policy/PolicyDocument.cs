using System.Text.Json;

namespace Spiffe.Agent.Tasks.Policy;

/// <summary>
/// One policy file: <c>{ "name", "description"?, "agents": [...], "rule": "&lt;CEL&gt;", "reason", "obligations"?: { "max_ttl_seconds" } }</c>.
/// Unknown keys are errors, so a typo never silently weakens a policy. Comments (<c>//</c>, <c>/* */</c>) are allowed.
/// </summary>
internal sealed record PolicyDocument(
    string Name,
    IReadOnlyList<string> Agents,
    string Rule,
    string Reason,
    PolicyObligations Obligations)
{
    /// <summary>The agent pattern that matches every agent.</summary>
    public const string AnyAgent = "*";

    private const int MaxRuleLength = 8192;

    private static readonly JsonDocumentOptions ReaderOptions = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = false,
        MaxDepth = 8,
    };

    /// <summary>Whether the policy applies to tasks of <paramref name="agent"/>.</summary>
    public bool AppliesTo(string agent) =>
        Agents.Any(a => a == AnyAgent || string.Equals(a, agent, StringComparison.Ordinal));

    /// <summary>Parses and validates a policy file.</summary>
    /// <exception cref="PolicyFormatException">The content is not a valid policy.</exception>
    public static PolicyDocument Parse(ReadOnlyMemory<byte> content)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(content, ReaderOptions);
        }
        catch (JsonException ex)
        {
            throw new PolicyFormatException($"not valid JSON: {ex.Message}", ex);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new PolicyFormatException("the policy must be a JSON object");
            }

            foreach (var property in root.EnumerateObject())
            {
                if (property.Name is not ("name" or "description" or "agents" or "rule" or "reason" or "obligations"))
                {
                    throw new PolicyFormatException($"unknown key '{property.Name}'");
                }
            }

            var name = RequiredString(root, "name");
            if (!TaskNames.IsValid(name))
            {
                throw new PolicyFormatException($"name '{name}' must match {TaskNames.Pattern}");
            }

            var rule = RequiredString(root, "rule");
            if (rule.Length > MaxRuleLength)
            {
                throw new PolicyFormatException($"rule is longer than {MaxRuleLength} characters");
            }

            // "description" is for people reading the file; it only has to be a string.
            OptionalString(root, "description");
            return new PolicyDocument(
                name,
                ParseAgents(root),
                rule,
                RequiredString(root, "reason"),
                ParseObligations(root));
        }
    }

    private static List<string> ParseAgents(JsonElement root)
    {
        if (!root.TryGetProperty("agents", out var agents) || agents.ValueKind != JsonValueKind.Array || agents.GetArrayLength() == 0)
        {
            throw new PolicyFormatException("'agents' must be a non-empty array of agent names or \"*\"");
        }

        var result = new List<string>();
        foreach (var agent in agents.EnumerateArray())
        {
            var value = agent.ValueKind == JsonValueKind.String ? agent.GetString() : null;
            if (value != AnyAgent && !TaskNames.IsValid(value))
            {
                throw new PolicyFormatException($"agent '{agent}' must be \"*\" or match {TaskNames.Pattern}");
            }

            result.Add(value!);
        }

        return result;
    }

    private static PolicyObligations ParseObligations(JsonElement root)
    {
        if (!root.TryGetProperty("obligations", out var obligations))
        {
            return PolicyObligations.None;
        }

        if (obligations.ValueKind != JsonValueKind.Object)
        {
            throw new PolicyFormatException("'obligations' must be an object");
        }

        TimeSpan? maxTtl = null;
        foreach (var property in obligations.EnumerateObject())
        {
            if (property.Name != "max_ttl_seconds")
            {
                throw new PolicyFormatException($"unknown obligation '{property.Name}'");
            }

            if (property.Value.ValueKind != JsonValueKind.Number || !property.Value.TryGetInt64(out var seconds)
                || seconds <= 0 || seconds > (long)TimeSpan.MaxValue.TotalSeconds)
            {
                throw new PolicyFormatException("'max_ttl_seconds' must be a positive integer");
            }

            maxTtl = TimeSpan.FromSeconds(seconds);
        }

        return new PolicyObligations(maxTtl);
    }

    private static string RequiredString(JsonElement root, string key) =>
        OptionalString(root, key) is { Length: > 0 } value
            ? value
            : throw new PolicyFormatException($"'{key}' must be a non-empty string");

    private static string? OptionalString(JsonElement root, string key)
    {
        if (!root.TryGetProperty(key, out var value))
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : throw new PolicyFormatException($"'{key}' must be a string");
    }
}
