using Spiffe.Core;

namespace Spiffe.Agent.Endpoints;

/// <summary>Settings of the public Workload API endpoint (SPIRE <c>agent.conf</c> keys in brackets).</summary>
internal sealed class WorkloadEndpointOptions
{
    /// <summary>The default socket path of <c>spiffe-agent</c> (SPIRE's is <c>/tmp/spire-agent/public/api.sock</c>).</summary>
    public const string DefaultSocketPath = "/tmp/spiffe-agent/public/api.sock";

    /// <summary>[<c>socket_path</c>] The Unix socket the Workload API listens on. Default <see cref="DefaultSocketPath"/>.</summary>
    public string SocketPath { get; set; } = DefaultSocketPath;

    /// <summary>
    /// [<c>trust_domain</c>] The agent's own trust domain: <c>ValidateJWTSVID</c> returns every claim of its tokens and
    /// only <c>sub</c>, <c>exp</c>, <c>aud</c> (plus <see cref="AllowedForeignJwtClaims"/>) of other trust domains' tokens.
    /// </summary>
    public TrustDomain TrustDomain { get; set; }

    /// <summary>
    /// [<c>allow_unauthenticated_verifiers</c>] Serve the own trust domain's bundles to callers that are entitled to no
    /// identity (<c>FetchX509Bundles</c>, <c>FetchJWTBundles</c>). Default false: such callers get <c>PermissionDenied</c>.
    /// </summary>
    public bool AllowUnauthenticatedVerifiers { get; set; }

    /// <summary>
    /// [<c>allowed_foreign_jwt_claims</c>] Claims that <c>ValidateJWTSVID</c> returns for tokens of other trust domains,
    /// besides <c>sub</c>, <c>exp</c> and <c>aud</c>. Default none.
    /// </summary>
    public IReadOnlyList<string> AllowedForeignJwtClaims { get; set; } = [];

    /// <summary>How long the health check's loopback call may take before the agent reports NOT_SERVING. Default 5 s.</summary>
    public TimeSpan HealthCheckTimeout { get; set; } = TimeSpan.FromSeconds(5);
}
