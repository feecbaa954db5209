using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Spiffe.Core;

namespace Spiffe.WorkloadApi.AspNetCore;

/// <summary>
/// Authenticates requests that carry a WIT in <c>Workload-Identity-Token</c> and its proof in
/// <c>Workload-Proof-Token</c>; see <see cref="WorkloadProofExtensions.AddWorkloadProof(AuthenticationBuilder, Action{WorkloadProofOptions})"/>.
/// </summary>
internal sealed class WorkloadProofAuthenticationHandler : AuthenticationHandler<WorkloadProofOptions>
{
    private const string BearerPrefix = "Bearer ";

    private bool bearerAttempted;

    public WorkloadProofAuthenticationHandler(IOptionsMonitor<WorkloadProofOptions> options, ILoggerFactory logger, UrlEncoder encoder)
        : base(options, logger, encoder)
    {
    }

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var headers = this.Request.Headers;
        var wit = headers[WorkloadProofToken.WitHeaderName];
        var proof = headers[WorkloadProofToken.HeaderName];
        if (wit.Count == 0 && proof.Count == 0)
        {
            return Task.FromResult(this.Options.AllowBearerJwtSvidFallback ? this.AuthenticateBearer() : AuthenticateResult.NoResult());
        }

        if (wit.Count != 1 || proof.Count != 1)
        {
            return Task.FromResult(this.Reject(
                $"exactly one {WorkloadProofToken.WitHeaderName} and one {WorkloadProofToken.HeaderName} header are required, got {wit.Count} and {proof.Count}"));
        }

        if (this.ContextHeaderProblem() is { } problem)
        {
            return Task.FromResult(this.Reject(problem));
        }

        var verifier = new WorkloadProofVerifier(this.Options.BundleSource!, this.Options.ReplayCache)
        {
            IsRevoked = this.Options.IsRevoked,
            MaxProofLifetime = this.Options.MaxProofLifetime,
            ClockSkew = this.Options.ClockSkew,
        };
        WorkloadProofVerificationResult result;
        try
        {
            result = verifier.Verify(wit.ToString(), proof.ToString(), this.ReadContext(), this.TimeProvider.GetUtcNow());
        }
        catch (WorkloadProofException ex)
        {
            this.Logger.ProofRejected(this.Scheme.Name, ex.Failure, ex.Message);
            return Task.FromResult(AuthenticateResult.Fail(ex));
        }

        var id = result.Id.ToString();
        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, id),
            new(ClaimTypes.Name, id),
            new(WorkloadProofDefaults.SpiffeIdClaimType, id),
            new(WorkloadProofDefaults.ProofJtiClaimType, result.ProofJti),
            new(WorkloadProofDefaults.AuthenticationMethodClaimType, WorkloadProofDefaults.WitProofMethod),
        };
        if (result.WitJti is { } witJti)
        {
            claims.Add(new Claim(WorkloadProofDefaults.WitJtiClaimType, witJti));
        }

        this.Logger.ProofAccepted(this.Scheme.Name, id, result.WitJti, result.ProofJti);
        return Task.FromResult(this.Success(claims));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        await this.HandleAuthenticateOnceSafeAsync();
        if (this.bearerAttempted)
        {
            this.Response.StatusCode = StatusCodes.Status401Unauthorized;
            this.Response.Headers.Append(HeaderNames.WWWAuthenticate, "Bearer");
            return;
        }

        this.Response.StatusCode = StatusCodes.Status400BadRequest;
    }

    private AuthenticateResult AuthenticateBearer()
    {
        string? header = this.Request.Headers.Authorization;
        if (header is null || !header.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.NoResult();
        }

        this.bearerAttempted = true;
        JwtSvid svid;
        try
        {
            svid = JwtSvid.ParseAndValidate(header[BearerPrefix.Length..].Trim(), this.Options.JwtBundleSource!, [this.Options.JwtAudience!], this.TimeProvider.GetUtcNow());
        }
        catch (JwtSvidException ex)
        {
            this.Logger.BearerRejected(this.Scheme.Name, ex.Message);
            return AuthenticateResult.Fail(ex);
        }

        var id = svid.Id.ToString();
        this.Logger.BearerAccepted(this.Scheme.Name, id);
        return this.Success(
        [
            new(ClaimTypes.NameIdentifier, id),
            new(ClaimTypes.Name, id),
            new(WorkloadProofDefaults.SpiffeIdClaimType, id),
            new(WorkloadProofDefaults.AuthenticationMethodClaimType, WorkloadProofDefaults.BearerJwtSvidMethod),
        ]);
    }

    /// <summary>Why the context token headers are ambiguous (one appears more than once, or Authorization has no credentials), or null.</summary>
    private string? ContextHeaderProblem()
    {
        var headers = this.Request.Headers;
        foreach (var name in this.Options.OtherTokenHeaders.Append(HeaderNames.Authorization).Append(WorkloadProofContext.TransactionTokenHeaderName))
        {
            if (headers[name].Count > 1)
            {
                return $"the {name} header appears {headers[name].Count} times; a bound context token must appear once";
            }
        }

        string? authorization = headers.Authorization;
        return authorization is not null && authorization.IndexOf(' ', StringComparison.Ordinal) <= 0
            ? "the Authorization header has no credentials after its scheme"
            : null;
    }

    /// <summary>The expected audience and the context tokens this request presents.</summary>
    private WorkloadProofContext ReadContext()
    {
        var headers = this.Request.Headers;
        string? authorization = headers.Authorization;
        var others = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in this.Options.OtherTokenHeaders)
        {
            string? value = headers[name];
            if (value is not null)
            {
                others[name.ToLowerInvariant()] = value;
            }
        }

        return new WorkloadProofContext
        {
            Audience = this.ExpectedAudience(),
            AccessToken = authorization?[(authorization.IndexOf(' ', StringComparison.Ordinal) + 1)..].Trim(),
            TransactionToken = headers[WorkloadProofContext.TransactionTokenHeaderName],
            OtherTokens = others,
        };
    }

    /// <summary>
    /// The configured base URI, normalized as <see cref="Uri"/> writes it (lower-case host, no default port) and
    /// without a trailing slash, followed by the path the client sent (raw, without query); never the Host header.
    /// </summary>
    private string ExpectedAudience()
    {
        var configured = new Uri(this.Options.ExpectedAudience!);
        var origin = configured.Scheme + "://" + configured.Authority + configured.AbsolutePath.TrimEnd('/');
        var target = this.Context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        string path;
        if (target is not null && target.StartsWith('/'))
        {
            var query = target.IndexOf('?', StringComparison.Ordinal);
            path = query < 0 ? target : target[..query];
        }
        else
        {
            path = (this.Request.PathBase + this.Request.Path).ToUriComponent();
        }

        return origin + (path.Length == 0 ? "/" : path);
    }

    private AuthenticateResult Success(IEnumerable<Claim> claims) =>
        AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity(claims, this.Scheme.Name)), this.Scheme.Name));

    private AuthenticateResult Reject(string reason)
    {
        this.Logger.RequestRejected(this.Scheme.Name, reason);
        return AuthenticateResult.Fail(reason);
    }
}
