using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using Spiffe.Core;
using Spiffe.Testing;
using Spiffe.WorkloadApi.AspNetCore;

namespace Spiffe.WorkloadApi.Tests.Wimse;

/// <summary>The WIT + Workload Proof Token authentication handler in a real Kestrel app on a temporary Unix socket.</summary>
[TestFixture]
public sealed class WorkloadProofAuthenticationTests
{
    private const string JwtAudience = "spiffe://example.org/tool";
    private const string UserContextHeader = "X-User-Context";

    private static readonly TrustDomain Td = TrustDomain.Parse("example.org");
    private static readonly SpiffeId Caller = SpiffeId.Parse("spiffe://example.org/agent/task-1");

    private readonly ConcurrentDictionary<string, bool> revoked = new();

    private TestWitIssuer issuer = null!;
    private TestJwtSigner jwtSigner = null!;
    private WorkloadProofTestApp strict = null!;
    private WorkloadProofTestApp migrating = null!;

    private static DateTimeOffset Now => TimeProvider.System.GetUtcNow();

    [OneTimeSetUp]
    public async Task StartAppsAsync()
    {
        this.issuer = new TestWitIssuer(Td);
        this.jwtSigner = new TestJwtSigner(Td, "jwt-1");
        this.strict = await WorkloadProofTestApp.StartAsync(this.Configure).DefaultTimeout();
        this.migrating = await WorkloadProofTestApp.StartAsync(options =>
        {
            this.Configure(options);
            options.AllowBearerJwtSvidFallback = true;
            options.JwtBundleSource = this.jwtSigner.CreateJwtBundle();
            options.JwtAudience = JwtAudience;
        }).DefaultTimeout();
    }

    [OneTimeTearDown]
    public async Task StopAppsAsync()
    {
        await this.strict.DisposeAsync();
        await this.migrating.DisposeAsync();
    }

    [Test]
    public async Task Request_ValidProofFromHandler_OkWithSpiffeIdAsUserName()
    {
        // Arrange
        var wit = this.issuer.Issue(Caller, Now);
        using var http = this.strict.CreateClient(new WorkloadProofHandler(Provider(wit)));

        // Act
        using var response = await http.GetAsync(new Uri("items/42?page=2#frag", UriKind.Relative)).DefaultTimeout();

        // Assert
        var parts = (await response.Content.ReadAsStringAsync()).Split('|');
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(parts[..3], Is.EqualTo(new[] { Caller.ToString(), Caller.ToString(), WorkloadProofDefaults.WitProofMethod }));
        Assert.That(parts[3], Is.Not.Empty);
    }

    [Test]
    public async Task Request_WitWithoutProof_BadRequestWithoutChallenge()
    {
        // Arrange
        var wit = this.issuer.Issue(Caller, Now);
        using var http = this.strict.CreateClient();
        using var request = Request("items", wit.Token, proof: null);
        var logged = this.strict.Logs.Events.Count;

        // Act
        using var response = await http.SendAsync(request).DefaultTimeout();

        // Assert
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(response.Headers.WwwAuthenticate, Is.Empty);
        Assert.That(this.strict.Logs.Events.Skip(logged).Select(e => e.EventName), Does.Contain("WorkloadProofRequestRejected"));
    }

    [Test]
    public async Task Request_NoCredentials_BadRequest()
    {
        // Arrange
        using var http = this.strict.CreateClient();

        // Act
        using var response = await http.GetAsync(new Uri("items", UriKind.Relative)).DefaultTimeout();

        // Assert
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(response.Headers.WwwAuthenticate, Is.Empty);
    }

    [TestCase("http://tool.test/other")]
    [TestCase("http://tool.test/items/")]
    [TestCase("https://tool.test/items")]
    [TestCase("http://evil.test/items")]
    public async Task Request_ProofForAnotherAudience_BadRequest(string audience)
    {
        // Arrange
        var wit = this.issuer.Issue(Caller, Now);
        using var http = this.strict.CreateClient();
        using var request = Request("items", wit.Token, Proof(wit, audience));

        // Act
        using var response = await http.SendAsync(request).DefaultTimeout();

        // Assert
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(response.Headers.WwwAuthenticate, Is.Empty);
    }

    [Test]
    public async Task Request_HostHeaderMatchingForeignAudience_StillBadRequest()
    {
        // Arrange: the proof names evil.test and the request claims to be for evil.test; the audience comes from configuration.
        var wit = this.issuer.Issue(Caller, Now);
        using var http = this.strict.CreateClient();
        using var request = Request("items", wit.Token, Proof(wit, "http://evil.test/items"));
        request.Headers.Host = "evil.test";

        // Act
        using var response = await http.SendAsync(request).DefaultTimeout();

        // Assert
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
    }

    [Test]
    public async Task Request_ReplayedProof_SecondIsBadRequest()
    {
        // Arrange
        var wit = this.issuer.Issue(Caller, Now);
        var proof = Proof(wit, WorkloadProofTestApp.BaseUri + "items");
        using var http = this.strict.CreateClient();
        using var first = Request("items", wit.Token, proof);
        using var second = Request("items", wit.Token, proof);
        using var firstResponse = await http.SendAsync(first).DefaultTimeout();
        var logged = this.strict.Logs.Events.Count;

        // Act
        using var secondResponse = await http.SendAsync(second).DefaultTimeout();

        // Assert
        Assert.That(firstResponse.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(secondResponse.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(this.strict.Logs.Events.Skip(logged).Any(e => e.EventName == "WorkloadProofRejected" && e.Message.Contains("(Replay)", StringComparison.Ordinal)), Is.True);
    }

    [Test]
    public async Task Request_ProofSignedByAnotherKey_BadRequest()
    {
        // Arrange
        var wit = this.issuer.Issue(Caller, Now);
        var other = this.issuer.Issue(Caller, Now);
        using var http = this.strict.CreateClient();
        using var request = Request("items", wit.Token, Proof(other, WorkloadProofTestApp.BaseUri + "items"));

        // Act
        using var response = await http.SendAsync(request).DefaultTimeout();

        // Assert
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
    }

    [Test]
    public async Task Request_RevokedWit_BadRequest()
    {
        // Arrange
        var wit = this.issuer.Issue(Caller, Now);
        this.revoked[wit.Jti!] = true;
        using var http = this.strict.CreateClient(new WorkloadProofHandler(Provider(wit)));

        // Act
        using var response = await http.GetAsync(new Uri("items", UriKind.Relative)).DefaultTimeout();

        // Assert
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
    }

    [Test]
    public async Task Request_TwoWitHeaders_BadRequest()
    {
        // Arrange
        var wit = this.issuer.Issue(Caller, Now);
        using var http = this.strict.CreateClient();
        using var request = Request("items", wit.Token, Proof(wit, WorkloadProofTestApp.BaseUri + "items"));
        request.Headers.TryAddWithoutValidation(WorkloadProofToken.WitHeaderName, wit.Token);

        // Act
        using var response = await http.SendAsync(request).DefaultTimeout();

        // Assert
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
    }

    [Test]
    public async Task Request_AuthorizationNotBoundByAth_BadRequest()
    {
        // Arrange
        var wit = this.issuer.Issue(Caller, Now);
        using var http = this.strict.CreateClient();
        using var request = Request("items", wit.Token, Proof(wit, WorkloadProofTestApp.BaseUri + "items"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "access-token-1");
        var logged = this.strict.Logs.Events.Count;

        // Act
        using var response = await http.SendAsync(request).DefaultTimeout();

        // Assert
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(this.strict.Logs.Events.Skip(logged).Any(e => e.Message.Contains("(AccessTokenHash)", StringComparison.Ordinal)), Is.True);
    }

    [Test]
    public async Task Request_BearerJwtSvidOfAnotherIdNextToWit_AuthenticatesAsWitIdOnly()
    {
        // Arrange: the handler binds the Authorization credentials as ath; they are context, not the caller's identity.
        var wit = this.issuer.Issue(Caller, Now);
        var otherJwt = this.jwtSigner.CreateToken(SpiffeId.Parse("spiffe://example.org/admin"), [JwtAudience], Now.AddMinutes(5), Now);
        using var http = this.migrating.CreateClient(new WorkloadProofHandler(Provider(wit)));
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("items", UriKind.Relative));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", otherJwt);

        // Act
        using var response = await http.SendAsync(request).DefaultTimeout();

        // Assert
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.StartWith(Caller + "|" + Caller + "|" + WorkloadProofDefaults.WitProofMethod));
    }

    [Test]
    public async Task Request_TxnTokenAndOtherTokenBoundByHandler_Ok()
    {
        // Arrange
        var wit = this.issuer.Issue(Caller, Now);
        using var http = this.strict.CreateClient(new WorkloadProofHandler(Provider(wit), [UserContextHeader]));
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("items", UriKind.Relative));
        request.Headers.Add("Txn-Token", "txn-1");
        request.Headers.Add(UserContextHeader, "user-1");

        // Act
        using var response = await http.SendAsync(request).DefaultTimeout();

        // Assert
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Request_OtherTokenHeaderNotBound_BadRequest()
    {
        // Arrange: the client does not know the header carries a token, so oth does not cover it.
        var wit = this.issuer.Issue(Caller, Now);
        using var http = this.strict.CreateClient(new WorkloadProofHandler(Provider(wit)));
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("items", UriKind.Relative));
        request.Headers.Add(UserContextHeader, "user-1");
        var logged = this.strict.Logs.Events.Count;

        // Act
        using var response = await http.SendAsync(request).DefaultTimeout();

        // Assert
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(this.strict.Logs.Events.Skip(logged).Any(e => e.Message.Contains("(OtherTokenHash)", StringComparison.Ordinal)), Is.True);
    }

    [Test]
    public async Task Request_BearerOnlyWithoutFallback_BadRequest()
    {
        // Arrange
        using var http = this.strict.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("items", UriKind.Relative));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", this.jwtSigner.CreateToken(Caller, [JwtAudience], Now.AddMinutes(5), Now));

        // Act
        using var response = await http.SendAsync(request).DefaultTimeout();

        // Assert
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
    }

    [Test]
    public async Task Request_BearerOnlyWithFallback_OkAsBearerMethod()
    {
        // Arrange
        using var http = this.migrating.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("items", UriKind.Relative));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", this.jwtSigner.CreateToken(Caller, [JwtAudience], Now.AddMinutes(5), Now));
        var logged = this.migrating.Logs.Events.Count;

        // Act
        using var response = await http.SendAsync(request).DefaultTimeout();

        // Assert
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo($"{Caller}|{Caller}|{WorkloadProofDefaults.BearerJwtSvidMethod}|"));
        Assert.That(this.migrating.Logs.Events.Skip(logged).Select(e => e.EventName), Does.Contain("BearerJwtSvidAccepted"));
    }

    [Test]
    public async Task Request_InvalidBearerWithFallback_UnauthorizedWithBearerChallenge()
    {
        // Arrange
        using var http = this.migrating.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("items", UriKind.Relative));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", this.jwtSigner.CreateToken(Caller, ["spiffe://example.org/other"], Now.AddMinutes(5), Now));

        // Act
        using var response = await http.SendAsync(request).DefaultTimeout();

        // Assert
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(response.Headers.WwwAuthenticate.Select(h => h.Scheme), Is.EqualTo(new[] { "Bearer" }));
    }

    [Test]
    public async Task Request_WitHeadersWithBadProofAndValidBearer_BadRequestWithoutFallback()
    {
        // Arrange
        var wit = this.issuer.Issue(Caller, Now);
        using var http = this.migrating.CreateClient();
        using var request = Request("items", wit.Token, Proof(wit, "http://tool.test/other"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", this.jwtSigner.CreateToken(Caller, [JwtAudience], Now.AddMinutes(5), Now));

        // Act
        using var response = await http.SendAsync(request).DefaultTimeout();

        // Assert
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(response.Headers.WwwAuthenticate, Is.Empty);
    }

    [Test]
    public async Task Request_Rejected_LogsReasonButNeverTokens()
    {
        // Arrange
        var wit = this.issuer.Issue(Caller, Now);
        var proof = Proof(wit, "http://tool.test/elsewhere");
        using var http = this.strict.CreateClient();
        using var request = Request("items", wit.Token, proof);
        var logged = this.strict.Logs.Events.Count;

        // Act
        using var response = await http.SendAsync(request).DefaultTimeout();

        // Assert
        var messages = this.strict.Logs.Events.Skip(logged).Select(e => e.Message).ToList();
        Assert.That(messages.Any(m => m.Contains("(Audience)", StringComparison.Ordinal)), Is.True);
        Assert.That(messages.Any(m => m.Contains(wit.Token, StringComparison.Ordinal) || m.Contains(proof, StringComparison.Ordinal)), Is.False);
        Assert.That(messages.Any(m => m.Contains(wit.Token.Split('.')[2], StringComparison.Ordinal)), Is.False);
    }

    [TestCase("https://tool.example/?x=1", "ExpectedAudience")]
    [TestCase("tool.example", "ExpectedAudience")]
    [TestCase("ftp://tool.example/", "ExpectedAudience")]
    public void Validate_BadExpectedAudience_Throws(string audience, string expected)
    {
        // Arrange
        var options = new WorkloadProofOptions { ExpectedAudience = audience, BundleSource = this.issuer.CreateWitBundle() };

        // Act + Assert
        Assert.That(options.Validate, Throws.InvalidOperationException.With.Message.Contains(expected));
    }

    [Test]
    public void Validate_MissingBundleOrFallbackSettings_Throws()
    {
        // Arrange
        var noBundles = new WorkloadProofOptions { ExpectedAudience = WorkloadProofTestApp.BaseUri };
        var fallbackWithoutJwt = new WorkloadProofOptions
        {
            ExpectedAudience = WorkloadProofTestApp.BaseUri,
            BundleSource = this.issuer.CreateWitBundle(),
            AllowBearerJwtSvidFallback = true,
        };

        // Act + Assert
        Assert.Multiple(() =>
        {
            Assert.That(noBundles.Validate, Throws.InvalidOperationException.With.Message.Contains("BundleSource"));
            Assert.That(fallbackWithoutJwt.Validate, Throws.InvalidOperationException.With.Message.Contains("JwtBundleSource"));
        });
    }

    private static LocalWorkloadProofProvider Provider(TestWit wit) => new(WitSvid.ParseInsecure(wit.Token, Now), wit.Key);

    private static string Proof(TestWit wit, string audience) =>
        WorkloadProofToken.Create(wit.Token, wit.Key, new WorkloadProofContext { Audience = audience }, WorkloadProofToken.DefaultLifetime, Now).Token;

    private static HttpRequestMessage Request(string path, string wit, string? proof)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        request.Headers.TryAddWithoutValidation(WorkloadProofToken.WitHeaderName, wit);
        if (proof is not null)
        {
            request.Headers.TryAddWithoutValidation(WorkloadProofToken.HeaderName, proof);
        }

        return request;
    }

    private void Configure(WorkloadProofOptions options)
    {
        options.ExpectedAudience = WorkloadProofTestApp.BaseUri;
        options.BundleSource = this.issuer.CreateWitBundle();
        options.IsRevoked = jti => this.revoked.ContainsKey(jti);
        options.OtherTokenHeaders.Add(UserContextHeader);
    }
}
