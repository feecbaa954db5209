namespace Spiffe.Configuration;

/// <summary>One <c>key = value</c> or <c>key { … }</c> member of a <see cref="ConfigObject"/>.</summary>
internal sealed class ConfigEntry
{
    public ConfigEntry(string key, ConfigValue value, ConfigLocation location)
    {
        Key = key;
        Value = value;
        Location = location;
    }

    /// <summary>The key as written (unquoted).</summary>
    public string Key { get; }

    /// <summary>The value.</summary>
    public ConfigValue Value { get; }

    /// <summary>Where the key starts.</summary>
    public ConfigLocation Location { get; }
}
