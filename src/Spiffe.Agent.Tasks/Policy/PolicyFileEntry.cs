namespace Spiffe.Agent.Tasks.Policy;

/// <summary>The engine's memory of one policy file between reloads.</summary>
/// <param name="ContentSha256">Hash of the content read last; unchanged content is not parsed again.</param>
/// <param name="InForce">The policy version in force from this file, or <see langword="null"/> (the file denies all).</param>
/// <param name="Error">Why the content read last was rejected, or <see langword="null"/>.</param>
internal sealed record PolicyFileEntry(string ContentSha256, CompiledPolicy? InForce, string? Error)
{
    /// <summary>The state this entry reports.</summary>
    public PolicyFileState State => (Error, InForce) switch
    {
        (null, _) => PolicyFileState.Loaded,
        (_, not null) => PolicyFileState.InvalidKeepingPrevious,
        _ => PolicyFileState.InvalidDenyingAll,
    };
}
