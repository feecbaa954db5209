namespace Spiffe.Server.Config;

/// <summary>
/// Values from <c>spiffe-server run</c> flags. Each non-null member replaces the file's value after the file is read
/// and before validation, so a flag can supply a key the file lacks (e.g. <c>-trustDomain</c>) and its value is
/// validated like the file's (errors name the flag).
/// </summary>
internal sealed record ServerConfigOverrides
{
    /// <summary>No overrides.</summary>
    public static ServerConfigOverrides None { get; } = new();

    /// <summary><c>-bindAddress</c>.</summary>
    public string? BindAddress { get; init; }

    /// <summary><c>-serverPort</c>.</summary>
    public int? BindPort { get; init; }

    /// <summary><c>-socketPath</c>.</summary>
    public string? SocketPath { get; init; }

    /// <summary><c>-trustDomain</c>.</summary>
    public string? TrustDomain { get; init; }

    /// <summary><c>-dataDir</c>.</summary>
    public string? DataDir { get; init; }

    /// <summary><c>-logLevel</c>.</summary>
    public string? LogLevel { get; init; }

    /// <summary><c>-logFormat</c>.</summary>
    public string? LogFormat { get; init; }

    /// <summary><c>-logFile</c>.</summary>
    public string? LogFile { get; init; }
}
