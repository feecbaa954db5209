using System.CommandLine;

namespace Spiffe.Server.Cli;

/// <summary>
/// Parser settings for spire-server style flags: single-dash camelCase names (<c>-spiffeID</c>) are whole option
/// names, never bundles of one-letter options, and <c>@file</c> arguments are taken literally.
/// </summary>
internal static class CliParser
{
    /// <summary>The parser configuration every entry point uses.</summary>
    public static ParserConfiguration Configuration { get; } = new()
    {
        EnablePosixBundling = false,
        ResponseFileTokenReplacer = null,
    };
}
