namespace Spiffe.Configuration;

/// <summary>A list literal <c>[ a, b ]</c>.</summary>
internal sealed class ConfigList : ConfigValue
{
    public ConfigList(IReadOnlyList<ConfigValue> items, ConfigLocation location)
        : base(location)
    {
        Items = items;
    }

    /// <summary>The elements in source order.</summary>
    public IReadOnlyList<ConfigValue> Items { get; }
}
