namespace Spiffe.Agent.Configuration;

/// <summary>SPIRE's <c>log_level</c> values.</summary>
internal enum AgentLogLevel
{
    /// <summary><c>DEBUG</c>.</summary>
    Debug,

    /// <summary><c>INFO</c> (the default).</summary>
    Info,

    /// <summary><c>WARN</c>.</summary>
    Warn,

    /// <summary><c>ERROR</c>.</summary>
    Error,
}
