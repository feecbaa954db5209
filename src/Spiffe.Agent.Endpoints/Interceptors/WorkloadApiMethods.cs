namespace Spiffe.Agent.Endpoints.Interceptors;

/// <summary>
/// The gRPC method paths of the Workload API (the proto has no package, so the service is <c>SpiffeWorkloadAPI</c>) and
/// of the signing oracle served next to it, which is treated exactly like it.
/// </summary>
internal static class WorkloadApiMethods
{
    /// <summary>The prefix of every Workload API method; calls under it must carry the security header.</summary>
    public const string ServicePrefix = "/SpiffeWorkloadAPI/";

    /// <summary><c>/SpiffeWorkloadAPI/FetchX509SVID</c>.</summary>
    public const string FetchX509Svid = ServicePrefix + "FetchX509SVID";

    /// <summary><c>/SpiffeWorkloadAPI/FetchX509Bundles</c>.</summary>
    public const string FetchX509Bundles = ServicePrefix + "FetchX509Bundles";

    /// <summary><c>/SpiffeWorkloadAPI/FetchJWTSVID</c>.</summary>
    public const string FetchJwtSvid = ServicePrefix + "FetchJWTSVID";

    /// <summary><c>/SpiffeWorkloadAPI/FetchJWTBundles</c>.</summary>
    public const string FetchJwtBundles = ServicePrefix + "FetchJWTBundles";

    /// <summary><c>/SpiffeWorkloadAPI/ValidateJWTSVID</c>.</summary>
    public const string ValidateJwtSvid = ServicePrefix + "ValidateJWTSVID";

    /// <summary><c>/SpiffeWorkloadAPI/FetchWITSVID</c>.</summary>
    public const string FetchWitSvid = ServicePrefix + "FetchWITSVID";

    /// <summary><c>/SpiffeWorkloadAPI/FetchWITBundles</c>.</summary>
    public const string FetchWitBundles = ServicePrefix + "FetchWITBundles";

    /// <summary>The prefix of the signing oracle's methods (<c>spiffe.agent.proof.v1.WorkloadProof</c>).</summary>
    public const string ProofServicePrefix = "/spiffe.agent.proof.v1.WorkloadProof/";

    /// <summary><c>/spiffe.agent.proof.v1.WorkloadProof/CreateProof</c>.</summary>
    public const string CreateProof = ProofServicePrefix + "CreateProof";

    /// <summary><c>/spiffe.agent.revocation.v1.Revocation/Watch</c>: the revocation stream on the public socket.</summary>
    public const string RevocationWatch = "/spiffe.agent.revocation.v1.Revocation/Watch";

    /// <summary>
    /// True for a Workload API method or a signing-oracle method: the header check, metrics, attestation and the task
    /// policy apply to both alike.
    /// </summary>
    public static bool IsWorkloadApi(string method) =>
        method.StartsWith(ServicePrefix, StringComparison.Ordinal) || method.StartsWith(ProofServicePrefix, StringComparison.Ordinal);

    /// <summary>True for the calls that must carry the security header: the Workload API and the revocation stream.</summary>
    public static bool RequiresSecurityHeader(string method) => IsWorkloadApi(method) || method == RevocationWatch;

    /// <summary>True for the methods that attest their caller (an unknown method answers <c>Unimplemented</c> without).</summary>
    public static bool RequiresAttestation(string method) => method is
        FetchX509Svid or FetchX509Bundles or FetchJwtSvid or FetchJwtBundles or ValidateJwtSvid or RevocationWatch
        or FetchWitSvid or FetchWitBundles or CreateProof;

    /// <summary>The method name without the service, e.g. <c>FetchX509SVID</c>, for logs and metric tags.</summary>
    public static string ShortName(string method)
    {
        var slash = method.LastIndexOf('/');
        return slash >= 0 ? method[(slash + 1)..] : method;
    }
}
