namespace Spiffe.Agent.Tasks.Policy;

/// <summary>Health of the policy set, for <c>/ready</c> and <c>spiffe-agent validate</c>.</summary>
/// <param name="CheckedAt">When the directory was last read.</param>
/// <param name="DirectoryError">Why the directory could not be read, or <see langword="null"/>.</param>
/// <param name="Files">One entry per policy file, ordered by path.</param>
internal sealed record PolicyStatus(DateTimeOffset CheckedAt, string? DirectoryError, IReadOnlyList<PolicyFileStatus> Files)
{
    /// <summary>Whether the directory and every file loaded cleanly.</summary>
    public bool IsHealthy => DirectoryError is null && Files.All(f => f.State == PolicyFileState.Loaded);
}
