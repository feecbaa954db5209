using System.Globalization;

namespace Spiffe.Configuration;

/// <summary>
/// Typed, error-collecting access to one object of the tree (the top level or a block). Getters return
/// <see langword="null"/> when a key is absent or its value is bad; a bad value, a missing required key, a repeated
/// key and (through <see cref="ReportUnknownKeys"/>) an unknown key are recorded in <see cref="Errors"/> with the
/// key's line, so a loader reads everything and then calls <see cref="ConfigErrors.ThrowIfAny"/> once.
/// Keys match case-insensitively, as HCL v1 decoding does in SPIRE.
/// </summary>
internal sealed class ConfigSection
{
    private static readonly StringComparer KeyComparer = StringComparer.OrdinalIgnoreCase;

    private ConfigSection(ConfigObject value, string path, ConfigLocation location, ConfigErrors errors)
    {
        Value = value;
        Path = path;
        Location = location;
        Errors = errors;
    }

    /// <summary>The object this section reads.</summary>
    public ConfigObject Value { get; }

    /// <summary>The dotted path of block keys from the top level, e.g. <c>server.experimental</c>; empty for the top level.</summary>
    public string Path { get; }

    /// <summary>Where the section's key starts (the file start for the top level).</summary>
    public ConfigLocation Location { get; }

    /// <summary>Where errors are recorded; shared by every section derived from the same root.</summary>
    public ConfigErrors Errors { get; }

    private string Where => Path.Length == 0 ? "at top level" : $"in block \"{Path}\"";

    /// <summary>Wraps a parsed file's top level.</summary>
    public static ConfigSection Root(ConfigObject root, ConfigErrors errors) => new(root, string.Empty, root.Location, errors);

    /// <summary>Whether <paramref name="key"/> is present.</summary>
    public bool Contains(string key) => Value.Entries.Any(e => KeyComparer.Equals(e.Key, key));

    /// <summary>Reads a string; numbers and booleans are accepted as written, as HCL v1 does.</summary>
    public string? GetString(string key, bool required = false) =>
        Find(key, required) is { } entry ? ToText(entry) : null;

    /// <summary>Reads an integer, written as a number or a quoted number (SPIRE's samples quote ports), within [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public int? GetInt(string key, int min = int.MinValue, int max = int.MaxValue, bool required = false)
    {
        if (Find(key, required) is not { } entry)
        {
            return null;
        }

        if (entry.Value is ConfigScalar { Kind: ConfigScalarKind.Number or ConfigScalarKind.String } scalar
            && long.TryParse(scalar.Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number)
            && number >= min
            && number <= max)
        {
            return (int)number;
        }

        var range = (min, max) switch
        {
            (int.MinValue, int.MaxValue) => string.Empty,
            (_, int.MaxValue) => $" greater than or equal to {min}",
            _ => $" between {min} and {max}",
        };
        Report(entry, $"\"{entry.Key}\" must be an integer{range}");
        return null;
    }

    /// <summary>Reads <c>true</c> or <c>false</c>.</summary>
    public bool? GetBool(string key, bool required = false)
    {
        if (Find(key, required) is not { } entry)
        {
            return null;
        }

        if (entry.Value is ConfigScalar { Kind: ConfigScalarKind.Bool } scalar)
        {
            return scalar.Text == "true";
        }

        Report(entry, $"\"{entry.Key}\" must be true or false");
        return null;
    }

    /// <summary>
    /// Reads a non-negative Go duration string such as <c>"1h30m"</c> (see <see cref="GoDuration"/>). With
    /// <paramref name="allowSeconds"/>, an unquoted whole number is also accepted as seconds.
    /// </summary>
    public TimeSpan? GetDuration(string key, bool required = false, bool allowSeconds = false)
    {
        if (Find(key, required) is not { } entry)
        {
            return null;
        }

        switch (entry.Value)
        {
            case ConfigScalar { Kind: ConfigScalarKind.String } scalar when GoDuration.TryParse(scalar.Text, out var duration):
                if (duration >= TimeSpan.Zero)
                {
                    return duration;
                }

                Report(entry, $"\"{entry.Key}\" must not be negative");
                return null;
            case ConfigScalar { Kind: ConfigScalarKind.Number } scalar when allowSeconds
                && uint.TryParse(scalar.Text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds):
                return TimeSpan.FromSeconds(seconds);
            default:
                Report(entry, allowSeconds
                    ? $"\"{entry.Key}\" must be a duration such as \"90s\" or \"1h30m\", or a whole number of seconds"
                    : $"\"{entry.Key}\" must be a duration such as \"90s\" or \"1h30m\"");
                return null;
        }
    }

    /// <summary>Reads a list of strings such as <c>["a", "b"]</c>.</summary>
    public IReadOnlyList<string>? GetStringList(string key, bool required = false)
    {
        if (Find(key, required) is not { } entry)
        {
            return null;
        }

        if (entry.Value is not ConfigList list)
        {
            Report(entry, $"\"{entry.Key}\" must be a list of strings");
            return null;
        }

        var result = new List<string>(list.Items.Count);
        foreach (var item in list.Items)
        {
            if (item is not ConfigScalar scalar)
            {
                Errors.Add(item.Location, $"\"{entry.Key}\" must be a list of strings");
                return null;
            }

            result.Add(scalar.Text);
        }

        return result;
    }

    /// <summary>Reads a nested block <c>key { … }</c> (or <c>key = { … }</c>).</summary>
    public ConfigSection? GetSection(string key, bool required = false)
    {
        if (Find(key, required, "block") is not { } entry)
        {
            return null;
        }

        if (entry.Value is ConfigObject value)
        {
            return new ConfigSection(value, Child(entry.Key), entry.Location, Errors);
        }

        Report(entry, $"\"{entry.Key}\" must be a block");
        return null;
    }

    /// <summary>
    /// Returns every block labelled with a name under <paramref name="type"/>, in source order and including
    /// repeats, whichever way it is written: <c>Type "name" { … }</c> (quoted or not), <c>Type { name { … } }</c>,
    /// <c>Type = { name = { … } }</c>, JSON <c>"Type": { "name": { … } }</c> or <c>"Type": [ { "name": { … } } ]</c>.
    /// </summary>
    public IReadOnlyList<ConfigBlock> GetLabelledBlocks(string type)
    {
        var blocks = new List<ConfigBlock>();
        foreach (var entry in Value.Entries.Where(e => KeyComparer.Equals(e.Key, type)))
        {
            IEnumerable<ConfigValue> groups = entry.Value is ConfigList list ? list.Items : [entry.Value];
            foreach (var group in groups)
            {
                if (group is not ConfigObject named)
                {
                    Errors.Add(group.Location, $"\"{entry.Key}\" must be a labelled block such as {entry.Key} \"name\" {{ … }}");
                    continue;
                }

                foreach (var block in named.Entries)
                {
                    if (block.Value is ConfigObject body)
                    {
                        var section = new ConfigSection(body, Child($"{entry.Key}.{block.Key}"), block.Location, Errors);
                        blocks.Add(new ConfigBlock(entry.Key, block.Key, section));
                    }
                    else
                    {
                        Report(block, $"\"{entry.Key}\" \"{block.Key}\" must be a block");
                    }
                }
            }
        }

        return blocks;
    }

    /// <summary>Records an error for every key of this section not in <paramref name="knownKeys"/>.</summary>
    public void ReportUnknownKeys(params IEnumerable<string> knownKeys)
    {
        var known = new HashSet<string>(knownKeys, KeyComparer);
        foreach (var entry in Value.Entries.Where(e => !known.Contains(e.Key)))
        {
            Report(entry, $"unknown key \"{entry.Key}\" {Where}");
        }
    }

    /// <summary>
    /// Records a loader's own validation error (e.g. two keys that exclude each other) at <paramref name="key"/>'s
    /// line, or at the section's line when <paramref name="key"/> is null or absent.
    /// </summary>
    public void ReportError(string message, string? key = null)
    {
        var entry = key is null ? null : Value.Entries.FirstOrDefault(e => KeyComparer.Equals(e.Key, key));
        Errors.Add(entry?.Location ?? Location, message);
    }

    private string Child(string key) => Path.Length == 0 ? key : $"{Path}.{key}";

    private ConfigEntry? Find(string key, bool required, string what = "key")
    {
        ConfigEntry? found = null;
        foreach (var entry in Value.Entries.Where(e => KeyComparer.Equals(e.Key, key)))
        {
            if (found is null)
            {
                found = entry;
            }
            else
            {
                Report(entry, $"duplicate key \"{entry.Key}\" {Where}: already set at line {found.Location.Line}");
            }
        }

        if (found is null && required)
        {
            Errors.Add(Location, $"missing required {what} \"{key}\" {Where}");
        }

        return found;
    }

    private string? ToText(ConfigEntry entry)
    {
        if (entry.Value is ConfigScalar scalar)
        {
            return scalar.Text;
        }

        Report(entry, $"\"{entry.Key}\" must be a string");
        return null;
    }

    private void Report(ConfigEntry entry, string message) => Errors.Add(entry.Location, message);
}
