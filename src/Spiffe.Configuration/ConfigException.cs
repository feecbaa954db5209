namespace Spiffe.Configuration;

/// <summary>
/// A configuration file could not be parsed or bound. A syntax error's message is <c>file:line:column: what was
/// expected</c>; a binding failure lists every <see cref="ConfigError"/>, one per line, as <c>file:line: message</c>.
/// </summary>
internal sealed class ConfigException : Exception
{
    /// <summary>Reports a syntax error at <paramref name="location"/>.</summary>
    public ConfigException(ConfigLocation location, string message)
        : base($"{location}: {message}")
    {
        Errors = [new ConfigError(location, message)];
    }

    /// <summary>Reports binding errors.</summary>
    public ConfigException(IReadOnlyList<ConfigError> errors)
        : base(string.Join('\n', errors))
    {
        Errors = errors;
    }

    /// <summary>The individual errors; at least one.</summary>
    public IReadOnlyList<ConfigError> Errors { get; }
}
