using Microsoft.AspNetCore.Authentication;
using Spiffe.Core;

namespace Spiffe.WorkloadApi.AspNetCore;

/// <summary>Settings of the WIT + Workload Proof Token authentication handler.</summary>
public sealed class WorkloadProofOptions : AuthenticationSchemeOptions
{
    /// <summary>
    /// This service's base URI as callers address it, from trusted configuration (never from <c>Host</c> or
    /// forwarding headers): an absolute http or https URI without query or fragment, such as
    /// <c>https://tool.example/</c>, optionally with a path prefix a proxy strips. A proof's <c>aud</c> must equal
    /// this base (without its trailing slash) followed by the request's path. Required.
    /// </summary>
    public string? ExpectedAudience { get; set; }

    /// <summary>The trusted WIT bundles, usually kept current from the Workload API. Required.</summary>
    public IWitBundleSource? BundleSource { get; set; }

    /// <summary>Decides whether a WIT's <c>jti</c> is revoked (true = refuse); when set, WITs without <c>jti</c> are refused.</summary>
    public Func<string, bool>? IsRevoked { get; set; }

    /// <summary>Where accepted proofs are remembered until they expire; an in-memory cache per scheme by default.</summary>
    public IWptReplayCache ReplayCache { get; set; } = new InMemoryWptReplayCache();

    /// <summary>How far ahead a proof's <c>exp</c> may be; 5 minutes by default.</summary>
    public TimeSpan MaxProofLifetime { get; set; } = WorkloadProofVerifier.DefaultMaxProofLifetime;

    /// <summary>The clock difference tolerated on a proof's <c>exp</c> and <c>iat</c>; 30 seconds by default.</summary>
    public TimeSpan ClockSkew { get; set; } = WorkloadProofVerifier.DefaultClockSkew;

    /// <summary>
    /// Request headers that carry other context tokens this service uses (for example <c>X-User-Context</c>). Each one
    /// present must be bound by the proof's <c>oth</c>; an <c>oth</c> entry for any other header is refused.
    /// </summary>
    public IList<string> OtherTokenHeaders { get; } = [];

    /// <summary>
    /// Migration only: also accept <c>Authorization: Bearer &lt;JWT-SVID&gt;</c> from callers that send no WIT
    /// headers, validated against <see cref="JwtBundleSource"/> for <see cref="JwtAudience"/>. Off by default.
    /// </summary>
    public bool AllowBearerJwtSvidFallback { get; set; }

    /// <summary>The trusted JWT bundles for the bearer fallback; required when it is on.</summary>
    public IJwtBundleSource? JwtBundleSource { get; set; }

    /// <summary>The audience a bearer JWT-SVID must carry; required when the fallback is on.</summary>
    public string? JwtAudience { get; set; }

    /// <summary>Checks the settings.</summary>
    /// <exception cref="InvalidOperationException">A required setting is missing or invalid.</exception>
    public override void Validate()
    {
        base.Validate();
        if (!Uri.TryCreate(this.ExpectedAudience, UriKind.Absolute, out var audience)
            || audience.Scheme is not ("https" or "http")
            || audience.Query.Length > 0
            || audience.Fragment.Length > 0
            || audience.UserInfo.Length > 0)
        {
            throw new InvalidOperationException("WorkloadProofOptions.ExpectedAudience must be an absolute http(s) URI without user info, query or fragment");
        }

        if (this.BundleSource is null)
        {
            throw new InvalidOperationException("WorkloadProofOptions.BundleSource is required");
        }

        if (this.ReplayCache is null)
        {
            throw new InvalidOperationException("WorkloadProofOptions.ReplayCache is required");
        }

        if (this.MaxProofLifetime <= TimeSpan.Zero || this.ClockSkew < TimeSpan.Zero)
        {
            throw new InvalidOperationException("WorkloadProofOptions.MaxProofLifetime must be positive and ClockSkew not negative");
        }

        if (this.AllowBearerJwtSvidFallback && (this.JwtBundleSource is null || string.IsNullOrEmpty(this.JwtAudience)))
        {
            throw new InvalidOperationException("WorkloadProofOptions.JwtBundleSource and JwtAudience are required with AllowBearerJwtSvidFallback");
        }
    }
}
