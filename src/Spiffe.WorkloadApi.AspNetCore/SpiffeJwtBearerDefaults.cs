namespace Spiffe.WorkloadApi.AspNetCore;

/// <summary>Defaults of the JWT-SVID authentication handler.</summary>
public static class SpiffeJwtBearerDefaults
{
    /// <summary>The default authentication scheme name, <c>SpiffeJwtBearer</c>.</summary>
    public const string AuthenticationScheme = "SpiffeJwtBearer";

    /// <summary>The claim type that carries the caller's SPIFFE ID, <c>spiffe_id</c>.</summary>
    public const string SpiffeIdClaimType = "spiffe_id";
}
