namespace Spiffe.Agent.Configuration;

/// <summary>Command-line values of <c>run</c> that override <c>agent.conf</c> (null = not given).</summary>
internal sealed record AgentConfigOverrides
{
    /// <summary><c>-serverAddress</c>.</summary>
    public string? ServerAddress { get; init; }

    /// <summary><c>-serverPort</c>.</summary>
    public int? ServerPort { get; init; }

    /// <summary><c>-socketPath</c>.</summary>
    public string? SocketPath { get; init; }

    /// <summary><c>-trustDomain</c>.</summary>
    public string? TrustDomain { get; init; }

    /// <summary><c>-trustBundle</c>.</summary>
    public string? TrustBundlePath { get; init; }

    /// <summary><c>-insecureBootstrap</c>.</summary>
    public bool? InsecureBootstrap { get; init; }

    /// <summary><c>-dataDir</c>.</summary>
    public string? DataDirectory { get; init; }

    /// <summary><c>-joinToken</c> (a secret: never printed).</summary>
    public string? JoinToken { get; init; }

    /// <summary><c>-joinTokenFile</c>.</summary>
    public string? JoinTokenFile { get; init; }

    /// <summary><c>-logLevel</c>.</summary>
    public string? LogLevel { get; init; }

    /// <summary><c>-logFormat</c>.</summary>
    public string? LogFormat { get; init; }

    /// <summary><c>-allowUnauthenticatedVerifiers</c>.</summary>
    public bool? AllowUnauthenticatedVerifiers { get; init; }

    /// <summary>Returns the type name only: the join token is a secret.</summary>
    public override string ToString() => nameof(AgentConfigOverrides);
}
