using Spiffe.Core;

namespace Spiffe.Agent.Core.Tasks;

/// <summary>
/// The agent's admin identity: the X509-SVID of the entry the operator registered with parent = this agent,
/// <c>spiffeID</c> = the configured admin SPIFFE ID, selector <c>spiffe_agent:self</c> and <c>-admin</c>. Used as the
/// client certificate of Entry admin calls.
/// </summary>
internal interface IAdminSvidSource
{
    /// <summary>The current admin SVID (minted on first use, rotated with the other cached SVIDs).</summary>
    /// <exception cref="TaskControlException">
    /// <see cref="TaskControlError.FailedPrecondition"/>: no such entry is authorized for this agent.
    /// </exception>
    Task<X509Svid> GetAsync(CancellationToken cancellationToken);
}
