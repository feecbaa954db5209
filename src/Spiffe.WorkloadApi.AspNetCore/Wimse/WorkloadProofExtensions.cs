using Microsoft.AspNetCore.Authentication;

namespace Spiffe.WorkloadApi.AspNetCore;

/// <summary>Registration of the WIT + Workload Proof Token authentication handler.</summary>
public static class WorkloadProofExtensions
{
    /// <summary>
    /// Adds WIT + Workload Proof Token authentication under <see cref="WorkloadProofDefaults.AuthenticationScheme"/>:
    /// a request with exactly one <c>Workload-Identity-Token</c> and one <c>Workload-Proof-Token</c> header is
    /// authenticated when <see cref="Spiffe.Core.WorkloadProofVerifier"/> accepts them for this request (audience from
    /// <see cref="WorkloadProofOptions.ExpectedAudience"/> and the request path; <c>Authorization</c> credentials,
    /// <c>Txn-Token</c> and <see cref="WorkloadProofOptions.OtherTokenHeaders"/> bound by <c>ath</c>, <c>tth</c>,
    /// <c>oth</c>). The user's name, <see cref="System.Security.Claims.ClaimTypes.NameIdentifier"/> and
    /// <c>spiffe_id</c> claim are the WIT's SPIFFE ID. A refused request is answered 400 without
    /// <c>WWW-Authenticate</c> on challenge, and the reason is logged. A bearer token is never accepted unless
    /// <see cref="WorkloadProofOptions.AllowBearerJwtSvidFallback"/> is set.
    /// </summary>
    /// <param name="builder">The authentication builder.</param>
    /// <param name="configure">Sets the expected audience, the bundle source and the other settings.</param>
    /// <returns>The builder.</returns>
    public static AuthenticationBuilder AddWorkloadProof(this AuthenticationBuilder builder, Action<WorkloadProofOptions> configure) =>
        builder.AddWorkloadProof(WorkloadProofDefaults.AuthenticationScheme, configure);

    /// <summary>Adds WIT + Workload Proof Token authentication under the given scheme name.</summary>
    /// <param name="builder">The authentication builder.</param>
    /// <param name="authenticationScheme">The scheme name.</param>
    /// <param name="configure">Sets the expected audience, the bundle source and the other settings.</param>
    /// <returns>The builder.</returns>
    public static AuthenticationBuilder AddWorkloadProof(this AuthenticationBuilder builder, string authenticationScheme, Action<WorkloadProofOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        return builder.AddScheme<WorkloadProofOptions, WorkloadProofAuthenticationHandler>(authenticationScheme, configure);
    }
}
