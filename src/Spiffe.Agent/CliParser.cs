using System.CommandLine;

namespace Spiffe.Agent;

/// <summary>
/// Parser settings for spire-agent style flags: single-dash camelCase names (<c>-socketPath</c>) are whole option
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

    /// <summary>
    /// The invocation settings: Ctrl+C is left to the commands (<c>run</c> stops its host gracefully; the client
    /// commands end with the default signal behaviour).
    /// </summary>
    public static InvocationConfiguration Invocation { get; } = new() { ProcessTerminationTimeout = null };
}
