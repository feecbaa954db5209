namespace Spiffe.Configuration;

/// <summary>
/// Entry point for reading a SPIRE-style configuration file. Like HCL v1, text whose first non-blank character is
/// <c>{</c> is JSON; anything else is HCL. Both give the same tree.
/// </summary>
internal static class ConfigFile
{
    /// <summary>Reads and parses the file at <paramref name="path"/>, which also names it in messages.</summary>
    /// <param name="path">The configuration file.</param>
    /// <param name="expandEnv">Expand <c>$VAR</c>/<c>${VAR}</c> from the process environment first, as SPIRE's <c>-expandEnv</c> does.</param>
    /// <exception cref="ConfigException">The file is not valid HCL or JSON.</exception>
    public static ConfigObject Load(string path, bool expandEnv = false)
    {
        var text = File.ReadAllText(path);
        if (expandEnv)
        {
            text = EnvExpander.Expand(text, Environment.GetEnvironmentVariable);
        }

        return Parse(text, path);
    }

    /// <summary>Parses configuration text as JSON or HCL.</summary>
    /// <param name="text">The configuration text.</param>
    /// <param name="file">The file name used in locations and error messages.</param>
    /// <exception cref="ConfigException">The text is not valid HCL or JSON.</exception>
    public static ConfigObject Parse(string text, string file) =>
        text.AsSpan().TrimStart().StartsWith("{", StringComparison.Ordinal)
            ? JsonConfigParser.Parse(text, file)
            : HclParser.Parse(text, file);
}
