namespace Spiffe.WorkloadApi.AspNetCore;

/// <summary>Defaults and claim types of the WIT + Workload Proof Token authentication handler.</summary>
public static class WorkloadProofDefaults
{
    /// <summary>The default authentication scheme name, <c>WorkloadProof</c>.</summary>
    public const string AuthenticationScheme = "WorkloadProof";

    /// <summary>The claim type that carries the caller's SPIFFE ID, <c>spiffe_id</c>.</summary>
    public const string SpiffeIdClaimType = "spiffe_id";

    /// <summary>The claim type that carries the WIT's <c>jti</c>, when it has one, <c>wit_jti</c>.</summary>
    public const string WitJtiClaimType = "wit_jti";

    /// <summary>The claim type that carries the proof's <c>jti</c>, <c>wpt_jti</c>.</summary>
    public const string ProofJtiClaimType = "wpt_jti";

    /// <summary>The claim type that says how the caller authenticated, <c>spiffe_auth_method</c>.</summary>
    public const string AuthenticationMethodClaimType = "spiffe_auth_method";

    /// <summary>The <see cref="AuthenticationMethodClaimType"/> value for a WIT with a Workload Proof Token, <c>wit-wpt</c>.</summary>
    public const string WitProofMethod = "wit-wpt";

    /// <summary>The <see cref="AuthenticationMethodClaimType"/> value for a bearer JWT-SVID accepted by the migration fallback, <c>jwt-svid-bearer</c>.</summary>
    public const string BearerJwtSvidMethod = "jwt-svid-bearer";
}
