namespace Spiffe.Agent.Tasks;

/// <summary>The JSON document of <c>tasks.json</c>.</summary>
internal sealed record PersistedTaskState(int Version, IReadOnlyList<PersistedTask> Tasks)
{
    /// <summary>The only version written and read.</summary>
    public const int CurrentVersion = 1;
}
