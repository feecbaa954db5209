namespace Spiffe.Agent.Tasks.Policy;

/// <summary>What the engine made of one policy file.</summary>
/// <param name="File">The file path.</param>
/// <param name="State">Loaded, or invalid and what happens instead.</param>
/// <param name="InForce">The policy version in force from this file, or <see langword="null"/>.</param>
/// <param name="Error">Why the current content was rejected, or <see langword="null"/>.</param>
internal sealed record PolicyFileStatus(string File, PolicyFileState State, PolicyRef? InForce, string? Error);
