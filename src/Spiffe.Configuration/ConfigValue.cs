namespace Spiffe.Configuration;

/// <summary>A node of the configuration tree: a <see cref="ConfigScalar"/>, <see cref="ConfigList"/> or <see cref="ConfigObject"/>.</summary>
internal abstract class ConfigValue
{
    private protected ConfigValue(ConfigLocation location)
    {
        Location = location;
    }

    /// <summary>Where the value starts in its file.</summary>
    public ConfigLocation Location { get; }
}
