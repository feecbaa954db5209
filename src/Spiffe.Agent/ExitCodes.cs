namespace Spiffe.Agent;

/// <summary>Process exit codes of <c>spiffe-agent</c>.</summary>
internal static class ExitCodes
{
    /// <summary>The command did what was asked.</summary>
    public const int Success = 0;

    /// <summary>
    /// The command failed: bad flags, the Workload API refused the call or could not be reached, the token is invalid,
    /// or the agent is unhealthy (spire-agent uses 1 for all of these, as does System.CommandLine for parse errors).
    /// </summary>
    public const int Failure = 1;

    /// <summary>The configuration file could not be read or is invalid (every error is printed with its line).</summary>
    public const int InvalidConfiguration = 2;

    /// <summary><c>run</c> could not start: a listener or the Workload API socket could not be opened.</summary>
    public const int StartupFailure = 3;

    /// <summary><c>run</c> stopped because the agent must exit (attestation refused, banned, agent SVID expired…).</summary>
    public const int AgentMustExit = 4;
}
