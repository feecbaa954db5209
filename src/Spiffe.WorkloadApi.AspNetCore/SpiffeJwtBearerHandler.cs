using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Spiffe.Core;

namespace Spiffe.WorkloadApi.AspNetCore;

/// <summary>
/// Authenticates <c>Authorization: Bearer</c> requests whose token is a JWT-SVID valid for the configured audience
/// against the configured bundles; the SPIFFE ID becomes the user's name and identifier.
/// </summary>
internal sealed class SpiffeJwtBearerHandler : AuthenticationHandler<SpiffeJwtBearerOptions>
{
    private const string BearerPrefix = "Bearer ";

    public SpiffeJwtBearerHandler(IOptionsMonitor<SpiffeJwtBearerOptions> options, ILoggerFactory logger, UrlEncoder encoder)
        : base(options, logger, encoder)
    {
    }

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = this.Request.Headers.Authorization;
        if (header is null || !header.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var token = header[BearerPrefix.Length..].Trim();
        if (token.Length == 0)
        {
            this.Logger.TokenRejected(this.Scheme.Name, "the bearer token is empty");
            return Task.FromResult(AuthenticateResult.Fail("the bearer token is empty"));
        }

        JwtSvid svid;
        try
        {
            svid = JwtSvid.ParseAndValidate(token, this.Options.BundleSource!, [this.Options.Audience!], this.TimeProvider.GetUtcNow());
        }
        catch (JwtSvidException ex)
        {
            this.Logger.TokenRejected(this.Scheme.Name, ex.Message);
            return Task.FromResult(AuthenticateResult.Fail(ex));
        }

        var id = svid.Id.ToString();
        var identity = new ClaimsIdentity(
            [
                new Claim(ClaimTypes.NameIdentifier, id),
                new Claim(ClaimTypes.Name, id),
                new Claim(SpiffeJwtBearerDefaults.SpiffeIdClaimType, id),
            ],
            this.Scheme.Name);
        this.Logger.TokenAccepted(this.Scheme.Name, id);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), this.Scheme.Name)));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        this.Response.StatusCode = StatusCodes.Status401Unauthorized;
        this.Response.Headers.Append(HeaderNames.WWWAuthenticate, "Bearer");
        return Task.CompletedTask;
    }
}
