namespace Spiffe.Server.Cli;

/// <summary>Process exit codes of <c>spiffe-server</c>.</summary>
internal static class ExitCodes
{
    /// <summary>The command did what was asked.</summary>
    public const int Success = 0;

    /// <summary>
    /// The command failed: bad flags or input, the server refused or was unreachable, a batch item failed, or
    /// the server is unhealthy. spire-server uses 1 for all of these, and so does System.CommandLine for parse errors.
    /// </summary>
    public const int Failure = 1;

    /// <summary><c>run</c> stopped because the server could not start (bad configuration, bind failure).</summary>
    public const int StartupFailure = 2;
}
