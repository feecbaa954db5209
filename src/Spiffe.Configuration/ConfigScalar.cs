namespace Spiffe.Configuration;

/// <summary>A string, number or boolean literal.</summary>
internal sealed class ConfigScalar : ConfigValue
{
    public ConfigScalar(ConfigScalarKind kind, string text, ConfigLocation location)
        : base(location)
    {
        Kind = kind;
        Text = text;
    }

    /// <summary>The literal type.</summary>
    public ConfigScalarKind Kind { get; }

    /// <summary>The value: the unescaped string, the number as written, or <c>true</c>/<c>false</c>.</summary>
    public string Text { get; }
}
