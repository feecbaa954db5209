namespace Spiffe.Agent.Core;

/// <summary>The agent must exit: why, and a message for the operator (no secrets).</summary>
/// <param name="Reason">The reason.</param>
/// <param name="Message">A complete sentence for the log and the console, e.g. "agent is banned by the server …".</param>
internal sealed record AgentExitRequest(AgentExitReason Reason, string Message);
