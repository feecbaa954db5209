namespace Spiffe.Agent.Tasks.Policy;

/// <summary>An immutable snapshot of the loaded policies; evaluation reads one snapshot without locking.</summary>
/// <param name="Files">Entry per file path.</param>
/// <param name="Policies">Policies in force, ordered by name (the evaluation order).</param>
/// <param name="DenyAll">When not <see langword="null"/>, every request is denied with this policy reference and message.</param>
/// <param name="Status">What <see cref="PolicyEngine.Status"/> reports.</param>
internal sealed record PolicySet(
    IReadOnlyDictionary<string, PolicyFileEntry> Files,
    IReadOnlyList<CompiledPolicy> Policies,
    (PolicyRef Ref, string Message)? DenyAll,
    PolicyStatus Status);
