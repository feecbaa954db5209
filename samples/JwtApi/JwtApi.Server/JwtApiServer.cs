using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Spiffe.WorkloadApi;
using Spiffe.WorkloadApi.AspNetCore;

namespace JwtApi.Server;

/// <summary>An ASP.NET Core API that authenticates its callers by JWT-SVID.</summary>
public static class JwtApiServer
{
    /// <summary>The audience callers must ask the Workload API for: tokens minted for another service are refused.</summary>
    public const string Audience = "spiffe://example.org/jwt-api";

    /// <summary>Gets the JWT bundles from the Workload API; returns once the first have arrived.</summary>
    /// <param name="socket">The Workload API address, e.g. <c>unix:///tmp/spiffe-agent/public/api.sock</c>; null for <c>SPIFFE_ENDPOINT_SOCKET</c>.</param>
    /// <param name="cancellationToken">Gives up waiting.</param>
    public static Task<JwtSource> ConnectAsync(string? socket, CancellationToken cancellationToken = default) =>
        JwtSource.CreateAsync(new WorkloadApiSourceOptions { ClientOptions = new WorkloadApiClientOptions { Address = socket } }, cancellationToken);

    /// <summary>Builds the app: <c>GET /whoami</c>, for authenticated callers only.</summary>
    /// <param name="source">The JWT bundles tokens are verified against.</param>
    /// <param name="audience">The audience every accepted token must carry.</param>
    /// <param name="url">Where to listen, e.g. <c>http://localhost:8080</c>; port 0 picks a free port.</param>
    public static WebApplication Build(JwtSource source, string audience, string url)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning); // no line per request
        builder.WebHost.UseUrls(url);

        // The whole SPIFFE part: `Authorization: Bearer <JWT-SVID>` is accepted when the token is signed by a key of
        // its trust domain's bundle, has not expired and names `audience`. The caller's SPIFFE ID becomes the user.
        builder.Services
            .AddAuthentication(SpiffeJwtBearerDefaults.AuthenticationScheme)
            .AddSpiffeJwtBearer(options =>
            {
                options.Audience = audience;
                options.BundleSource = source;
            });
        builder.Services.AddAuthorization();

        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();

        // Any valid JWT-SVID may call; a policy such as RequireClaim("spiffe_id", "spiffe://…") would narrow it down.
        app.MapGet("/whoami", (ClaimsPrincipal user) => $"Hello, {user.Identity!.Name}!").RequireAuthorization();
        return app;
    }
}
