namespace Spiffe.Agent.Tasks.Policy;

/// <summary>The attested caller, as CEL sees it under <c>workload</c>.</summary>
/// <param name="Selectors">Selectors as <c>type:value</c> strings (e.g. <c>unix:uid:1000</c>).</param>
/// <param name="Uid">Effective UID.</param>
/// <param name="Path">Executable path.</param>
/// <param name="Sha256">Executable SHA-256, lowercase hex.</param>
internal sealed record WorkloadFacts(IReadOnlyList<string> Selectors, long Uid, string Path, string Sha256);
