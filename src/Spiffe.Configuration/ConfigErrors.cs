namespace Spiffe.Configuration;

/// <summary>
/// Collects the errors a config loader finds so that all of them are reported together, then
/// <see cref="ThrowIfAny"/> stops start-up with one <see cref="ConfigException"/>.
/// </summary>
internal sealed class ConfigErrors
{
    private readonly List<ConfigError> _errors = [];

    /// <summary>The errors found so far, in the order they were reported.</summary>
    public IReadOnlyList<ConfigError> Items => _errors;

    /// <summary>Records an error; an identical error (same location and message) is recorded once.</summary>
    public void Add(ConfigLocation location, string message)
    {
        var error = new ConfigError(location, message);
        if (!_errors.Contains(error))
        {
            _errors.Add(error);
        }
    }

    /// <summary>Throws a <see cref="ConfigException"/> listing every error in file and line order, if there are any.</summary>
    /// <exception cref="ConfigException">At least one error was recorded.</exception>
    public void ThrowIfAny()
    {
        if (_errors.Count == 0)
        {
            return;
        }

        var ordered = _errors
            .OrderBy(e => e.Location.File, StringComparer.Ordinal)
            .ThenBy(e => e.Location.Line)
            .ThenBy(e => e.Location.Column)
            .ToArray();
        throw new ConfigException(ordered);
    }
}
