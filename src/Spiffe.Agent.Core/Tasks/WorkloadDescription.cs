namespace Spiffe.Agent.Core.Tasks;

/// <summary>The attested caller of a Workload API request, for policy and audit.</summary>
/// <param name="Pid">Process ID.</param>
/// <param name="Uid">Effective UID from the peer credentials.</param>
/// <param name="Selectors">Every selector as <c>type:value</c>.</param>
/// <param name="Path">Executable path (from <c>unix:path</c>), or empty.</param>
/// <param name="Sha256">Executable SHA-256 (from <c>unix:sha256</c>), or empty.</param>
/// <param name="Cgroup">The process's cgroup, or null when unknown.</param>
internal sealed record WorkloadDescription(int Pid, long Uid, IReadOnlyList<string> Selectors, string Path, string Sha256, string? Cgroup);
