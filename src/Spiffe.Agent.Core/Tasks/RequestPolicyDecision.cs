namespace Spiffe.Agent.Core.Tasks;

/// <summary>The outcome of the per-request policy.</summary>
/// <param name="IsAllowed">Whether the request may proceed.</param>
/// <param name="DenialMessage"><c>denied by policy &lt;name&gt;: &lt;reason&gt;</c>, or null when allowed.</param>
/// <param name="Policies">Every policy that decided, with its file hash (the denying one last).</param>
/// <param name="MaxTtl">The strictest <c>max_ttl</c> obligation of the allowing policies, or null.</param>
internal sealed record RequestPolicyDecision(bool IsAllowed, string? DenialMessage, IReadOnlyList<PolicyReference> Policies, TimeSpan? MaxTtl);
