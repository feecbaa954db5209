using Microsoft.AspNetCore.Authentication;

namespace Spiffe.WorkloadApi.AspNetCore;

/// <summary>Registration of the JWT-SVID authentication handler.</summary>
public static class SpiffeJwtBearerExtensions
{
    /// <summary>
    /// Adds JWT-SVID bearer authentication under <see cref="SpiffeJwtBearerDefaults.AuthenticationScheme"/>: a request
    /// with <c>Authorization: Bearer &lt;JWT-SVID&gt;</c> is authenticated when the token validates against
    /// <see cref="SpiffeJwtBearerOptions.BundleSource"/> for <see cref="SpiffeJwtBearerOptions.Audience"/>; the user's
    /// name, <see cref="System.Security.Claims.ClaimTypes.NameIdentifier"/> and <c>spiffe_id</c> claim are the SPIFFE ID.
    /// An invalid token fails authentication (401 on challenge) and the reason is logged.
    /// </summary>
    /// <param name="builder">The authentication builder.</param>
    /// <param name="configure">Sets the audience and the bundle source.</param>
    /// <returns>The builder.</returns>
    public static AuthenticationBuilder AddSpiffeJwtBearer(this AuthenticationBuilder builder, Action<SpiffeJwtBearerOptions> configure) =>
        builder.AddSpiffeJwtBearer(SpiffeJwtBearerDefaults.AuthenticationScheme, configure);

    /// <summary>Adds JWT-SVID bearer authentication under the given scheme name.</summary>
    /// <param name="builder">The authentication builder.</param>
    /// <param name="authenticationScheme">The scheme name.</param>
    /// <param name="configure">Sets the audience and the bundle source.</param>
    /// <returns>The builder.</returns>
    public static AuthenticationBuilder AddSpiffeJwtBearer(this AuthenticationBuilder builder, string authenticationScheme, Action<SpiffeJwtBearerOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        return builder.AddScheme<SpiffeJwtBearerOptions, SpiffeJwtBearerHandler>(authenticationScheme, configure);
    }
}
