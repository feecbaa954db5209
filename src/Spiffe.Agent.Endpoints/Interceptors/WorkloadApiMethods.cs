namespace Spiffe.Agent.Endpoints.Interceptors;

/// <summary>The gRPC method paths of the Workload API (the proto has no package, so the service is <c>SpiffeWorkloadAPI</c>).</summary>
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

    /// <summary><c>/spiffe.agent.revocation.v1.Revocation/Watch</c>: the revocation stream on the public socket.</summary>
    public const string RevocationWatch = "/spiffe.agent.revocation.v1.Revocation/Watch";

    /// <summary>True for a Workload API method.</summary>
    public static bool IsWorkloadApi(string method) => method.StartsWith(ServicePrefix, StringComparison.Ordinal);

    /// <summary>True for the calls that must carry the security header: the Workload API and the revocation stream.</summary>
    public static bool RequiresSecurityHeader(string method) => IsWorkloadApi(method) || method == RevocationWatch;

    /// <summary>
    /// True for the methods that attest their caller. The WIT methods are not implemented and answer
    /// <c>Unimplemented</c> without attesting, as SPIRE's do.
    /// </summary>
    public static bool RequiresAttestation(string method) => method is
        FetchX509Svid or FetchX509Bundles or FetchJwtSvid or FetchJwtBundles or ValidateJwtSvid or RevocationWatch;

    /// <summary>The method name without the service, e.g. <c>FetchX509SVID</c>, for logs and metric tags.</summary>
    public static string ShortName(string method)
    {
        var slash = method.LastIndexOf('/');
        return slash >= 0 ? method[(slash + 1)..] : method;
    }
}
