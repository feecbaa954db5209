using System.Text.RegularExpressions;
using Spiffe.Agent.Core.Attestation;

namespace Spiffe.Agent.Attestation.Attestors.Container;

/// <summary>
/// Finds the container ID and Kubernetes pod UID in cgroup paths (or cgroup mount roots), whatever the runtime and
/// cgroup driver: Docker (<c>/docker/&lt;id&gt;</c>, <c>docker-&lt;id&gt;.scope</c>), containerd
/// (<c>cri-containerd-&lt;id&gt;.scope</c>, <c>…:cri-containerd:&lt;id&gt;</c>), CRI-O (<c>crio-&lt;id&gt;.scope</c>,
/// and the <c>crio-conmon-&lt;id&gt;.scope</c> of its monitor process, which yields that container's ID), Podman
/// (<c>libpod-&lt;id&gt;.scope</c>), cgroupfs pod directories (<c>pod&lt;uid&gt;</c>) and systemd-escaped pod slices
/// (<c>…-pod&lt;uid with _ for -&gt;.slice</c>).
/// </summary>
/// <remarks>
/// For each path, segments are walked from the end to the first one holding a 64-hex-digit token (the container ID);
/// the pod UID is then looked for in what precedes it, walking backwards. Across paths: a path without a container ID
/// says nothing (a v1 controller left at <c>/</c>, or a line such as <c>0::/system.slice/crio.service</c>); a path with
/// a pod UID overrides earlier paths without one, and later paths without one are ignored (kind nests a pod inside a
/// Docker container whose own ID shows in other lines); two different pod UIDs, or two different container IDs for
/// the same pod (or with no pod), are a conflict and fail, because the safe answer to ambiguity is none.
/// </remarks>
internal static partial class ContainerInfoExtractor
{
    /// <summary>Combines what every path says.</summary>
    /// <exception cref="WorkloadAttestorException">Two paths name different pod UIDs or container IDs.</exception>
    public static ContainerInfo FromPaths(IEnumerable<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        string? containerId = null;
        string? podUid = null;
        foreach (var path in paths)
        {
            var (pathPodUid, pathContainerId) = FromPath(path);
            if (pathContainerId is null || (podUid is not null && pathPodUid is null))
            {
                continue;
            }

            if (podUid is null && pathPodUid is not null)
            {
                podUid = pathPodUid;
                containerId = pathContainerId;
                continue;
            }

            if (pathPodUid is not null && pathPodUid != podUid)
            {
                throw new WorkloadAttestorException($"multiple pod UIDs found ({podUid}, {pathPodUid})");
            }

            if (containerId is not null && pathContainerId != containerId)
            {
                throw new WorkloadAttestorException($"multiple container IDs found ({containerId}, {pathContainerId})");
            }

            containerId = pathContainerId;
        }

        return containerId is null ? ContainerInfo.None : new ContainerInfo(containerId, podUid);
    }

    /// <summary>The pod UID and container ID in one path; both null when it has no container ID.</summary>
    public static (string? PodUid, string? ContainerId) FromPath(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var segments = path.Split('/');
        for (var i = segments.Length - 1; i >= 0; i--)
        {
            var match = ContainerIdPattern().Match(segments[i]);
            if (match.Success)
            {
                var before = segments[i][..match.Index];
                return (FindPodUid(before, segments.AsSpan(0, i)), match.Value);
            }
        }

        return (null, null);
    }

    private static string? FindPodUid(string restOfSegment, ReadOnlySpan<string> earlierSegments)
    {
        var match = PodUidPattern().Match(restOfSegment);
        for (var i = earlierSegments.Length - 1; !match.Success && i >= 0; i--)
        {
            match = PodUidPattern().Match(earlierSegments[i]);
        }

        // The systemd cgroup driver escapes the UID's dashes as underscores; undo that.
        return match.Success ? match.Groups[1].Value.Replace('_', '-') : null;
    }

    // 64 hex digits not touching other word characters (the \b of the Go original, ASCII only).
    [GeneratedRegex("(?<![0-9A-Za-z_])[0-9A-Fa-f]{64}(?![0-9A-Za-z_])", RegexOptions.CultureInvariant)]
    private static partial Regex ContainerIdPattern();

    [GeneratedRegex(
        "(?<![0-9A-Za-z_])pod([0-9A-Fa-f]{8}[-_][0-9A-Fa-f]{4}[-_][0-9A-Fa-f]{4}[-_][0-9A-Fa-f]{4}[-_][0-9A-Fa-f]{12})(?![0-9A-Za-z_])",
        RegexOptions.CultureInvariant)]
    private static partial Regex PodUidPattern();
}
