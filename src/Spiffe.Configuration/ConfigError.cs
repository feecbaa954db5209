namespace Spiffe.Configuration;

/// <summary>One problem found in a configuration file.</summary>
/// <param name="Location">Where the offending key, value or block starts.</param>
/// <param name="Message">What is wrong, naming the key, e.g. <c>unknown key "trust_domian" in block "agent"</c>.</param>
internal sealed record ConfigError(ConfigLocation Location, string Message)
{
    /// <summary>Formats as <c>file:line: message</c>.</summary>
    public override string ToString() => $"{Location.File}:{Location.Line}: {Message}";
}
