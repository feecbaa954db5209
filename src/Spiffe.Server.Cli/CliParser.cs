using System.CommandLine;

namespace Spiffe.Server.Cli;

/// <summary>
/// Parser and invocation settings. Parsing follows spire-server style flags: single-dash camelCase names (<c>-spiffeID</c>) are whole option
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
    /// How long <c>run</c> may take to shut down after SIGINT or SIGTERM before the process exits anyway (with 130 or
    /// 143). Setting it is what makes System.CommandLine turn those signals into cancellation at all.
    /// </summary>
    public static TimeSpan ShutdownTimeout { get; } = TimeSpan.FromSeconds(30);

    /// <summary>The invocation settings of the real process: console output, signals cancel the running command.</summary>
    /// <returns>A new configuration.</returns>
    public static InvocationConfiguration CreateInvocationConfiguration() => new() { ProcessTerminationTimeout = ShutdownTimeout };
}
