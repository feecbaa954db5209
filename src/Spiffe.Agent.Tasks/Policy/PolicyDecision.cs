namespace Spiffe.Agent.Tasks.Policy;

/// <summary>The outcome of evaluating the policies that apply to a request.</summary>
/// <param name="IsAllowed">Whether the request may proceed.</param>
/// <param name="DenialMessage"><c>denied by policy &lt;name&gt;: &lt;reason&gt;</c>, or <see langword="null"/> when allowed.</param>
/// <param name="DeniedBy">The policy that denied, or <see langword="null"/>.</param>
/// <param name="Policies">Every policy that decided, in evaluation order (the denying one last), with its file hash.</param>
/// <param name="Obligations">Merged obligations of the policies that allowed.</param>
internal sealed record PolicyDecision(
    bool IsAllowed,
    string? DenialMessage,
    PolicyRef? DeniedBy,
    IReadOnlyList<PolicyRef> Policies,
    PolicyObligations Obligations);
