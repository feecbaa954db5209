namespace Spiffe.Agent.Core.Tasks;

/// <summary>A policy that took part in a decision: its name and the SHA-256 (lowercase hex) of its file.</summary>
internal sealed record PolicyReference(string Name, string Sha256);
