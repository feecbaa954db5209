namespace Spiffe.Agent.Attestation.Attestors.Container;

/// <summary>What the cgroup or mount paths of a process say about its container.</summary>
/// <param name="ContainerId">The 64-hex-digit container ID, as found; null when the process is not in a container.</param>
/// <param name="PodUid">The Kubernetes pod UID with dashes; null when none was found.</param>
internal sealed record ContainerInfo(string? ContainerId, string? PodUid)
{
    /// <summary>No container.</summary>
    public static ContainerInfo None { get; } = new(null, null);
}
