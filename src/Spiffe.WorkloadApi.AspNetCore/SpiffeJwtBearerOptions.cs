using Microsoft.AspNetCore.Authentication;
using Spiffe.Core;

namespace Spiffe.WorkloadApi.AspNetCore;

/// <summary>Settings of the JWT-SVID authentication handler.</summary>
public sealed class SpiffeJwtBearerOptions : AuthenticationSchemeOptions
{
    /// <summary>The audience every accepted token must carry in <c>aud</c>, usually this service's own name or SPIFFE ID. Required.</summary>
    public string? Audience { get; set; }

    /// <summary>The trusted JWT bundles, usually a <see cref="JwtSource"/> (kept current by the Workload API). Required.</summary>
    public IJwtBundleSource? BundleSource { get; set; }

    /// <summary>Checks that <see cref="Audience"/> and <see cref="BundleSource"/> are set.</summary>
    /// <exception cref="InvalidOperationException">One of them is missing.</exception>
    public override void Validate()
    {
        base.Validate();
        if (string.IsNullOrEmpty(this.Audience))
        {
            throw new InvalidOperationException("SpiffeJwtBearerOptions.Audience is required");
        }

        if (this.BundleSource is null)
        {
            throw new InvalidOperationException("SpiffeJwtBearerOptions.BundleSource is required");
        }
    }
}
