namespace Spiffe.Agent.Tasks.Policy;

/// <summary>Which policy took part in a decision: its name and the SHA-256 (lowercase hex) of its file content.</summary>
internal sealed record PolicyRef(string Name, string Sha256);
