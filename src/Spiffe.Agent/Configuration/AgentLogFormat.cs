namespace Spiffe.Agent.Configuration;

/// <summary>SPIRE's <c>log_format</c> values.</summary>
internal enum AgentLogFormat
{
    /// <summary><c>text</c> (the default): one human-readable line per event.</summary>
    Text,

    /// <summary><c>json</c>: one JSON object per event.</summary>
    Json,
}
