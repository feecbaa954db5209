namespace Spiffe.Configuration;

/// <summary>
/// An object: a file's top level, a block body, or an object literal. Entries keep source order and repeated keys.
/// A labelled block <c>Type "label" { … }</c> is stored as HCL v1 and JSON see it: an entry <c>Type</c> whose value
/// is an object holding one entry <c>label</c> whose value is the body.
/// </summary>
internal sealed class ConfigObject : ConfigValue
{
    public ConfigObject(IReadOnlyList<ConfigEntry> entries, ConfigLocation location)
        : base(location)
    {
        Entries = entries;
    }

    /// <summary>The entries in source order; a key may appear more than once.</summary>
    public IReadOnlyList<ConfigEntry> Entries { get; }
}
