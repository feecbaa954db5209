using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Spiffe.Agent.Endpoints.Tests.Infrastructure;
using Spiffe.Core;
using Spiffe.WorkloadApi.Proto;

namespace Spiffe.Agent.Endpoints.Tests;

[TestFixture]
public sealed class ValidateJwtSvidTests
{
    private static readonly TestTrustDomain Domain = new("example.org");
    private static readonly TestTrustDomain Foreign = new("foreign.test", "f1");

    private static IEnumerable<TestCaseData> MissingFields()
    {
        yield return new TestCaseData("", "a.b.c", "audience must be specified").SetArgDisplayNames("no audience");
        yield return new TestCaseData("a", "", "svid must be specified").SetArgDisplayNames("no svid");
    }

    [TestCaseSource(nameof(MissingFields))]
    public async Task ValidateJwtSvid_MissingField_InvalidArgumentWithoutAttestation(string audience, string svid, string message)
    {
        // Arrange
        var request = new ValidateJWTSVIDRequest { Audience = audience, Svid = svid };
        await using var harness = await EndpointHarness.StartAsync(Domain);
        var client = harness.CreateClient();

        // Act
        var ex = Assert.ThrowsAsync<RpcException>(() => client.ValidateJwtSvidAsync(request).DefaultTimeout());

        // Assert
        Assert.That(ex!.StatusCode, Is.EqualTo(StatusCode.InvalidArgument));
        Assert.That(ex.Status.Detail, Is.EqualTo(message));
        Assert.That(harness.Attestation.Calls, Is.Zero);
    }

    [Test]
    public async Task ValidateJwtSvid_ValidOwnTokenCallerWithoutIdentity_ReturnsIdAndAllClaimsWithAudList()
    {
        // Arrange
        await using var harness = await EndpointHarness.StartAsync(Domain);
        harness.Cache.ValidationBundles = new JwtBundleSet([Domain.JwtBundle]);
        var now = TimeProvider.System.GetUtcNow();
        var exp = now.AddMinutes(5).ToUnixTimeSeconds();
        var token = Domain.Signer.CreateToken(
            """{"alg":"ES256","kid":"k1","typ":"JWT"}""",
            $$$"""{"sub":"spiffe://example.org/w","aud":"svc","exp":{{{exp}}},"iat":{{{now.ToUnixTimeSeconds()}}},"custom":{"n":[1,true,null]}}""",
            "ES256");
        var client = harness.CreateClient();

        // Act
        var response = await client.ValidateJwtSvidAsync(new ValidateJWTSVIDRequest { Audience = "svc", Svid = token }).DefaultTimeout();

        // Assert
        Assert.That(response.SpiffeId, Is.EqualTo("spiffe://example.org/w"));
        var claims = response.Claims.Fields;
        Assert.That(claims.Keys, Is.EquivalentTo(new[] { "sub", "aud", "exp", "iat", "custom" }));
        Assert.That(claims["aud"].KindCase, Is.EqualTo(Value.KindOneofCase.ListValue));
        Assert.That(claims["aud"].ListValue.Values.Select(v => v.StringValue), Is.EqualTo(new[] { "svc" }));
        Assert.That(claims["exp"].NumberValue, Is.EqualTo((double)exp));
        Assert.That(claims["custom"].StructValue.Fields["n"].ListValue.Values[1].BoolValue, Is.True);
    }

    [Test]
    public async Task ValidateJwtSvid_ForeignToken_ClaimsFilteredToSubExpAud()
    {
        // Arrange
        await using var harness = await EndpointHarness.StartAsync(Domain);
        harness.Cache.ValidationBundles = new JwtBundleSet([Domain.JwtBundle, Foreign.JwtBundle]);
        var now = TimeProvider.System.GetUtcNow();
        var token = Foreign.Signer.CreateToken(Foreign.Id("/svc"), ["svc"], now.AddMinutes(5), issuedAt: now);
        var client = harness.CreateClient();

        // Act
        var response = await client.ValidateJwtSvidAsync(new ValidateJWTSVIDRequest { Audience = "svc", Svid = token }).DefaultTimeout();

        // Assert
        Assert.That(response.SpiffeId, Is.EqualTo("spiffe://foreign.test/svc"));
        Assert.That(response.Claims.Fields.Keys, Is.EquivalentTo(new[] { "sub", "aud", "exp" }));
    }

    [Test]
    public async Task ValidateJwtSvid_ForeignTokenWithAllowedClaim_ClaimKept()
    {
        // Arrange
        await using var harness = await EndpointHarness.StartAsync(Domain, new WorkloadEndpointOptions { AllowedForeignJwtClaims = ["iat"] });
        harness.Cache.ValidationBundles = new JwtBundleSet([Foreign.JwtBundle]);
        var now = TimeProvider.System.GetUtcNow();
        var token = Foreign.Signer.CreateToken(Foreign.Id("/svc"), ["svc"], now.AddMinutes(5), issuedAt: now);
        var client = harness.CreateClient();

        // Act
        var response = await client.ValidateJwtSvidAsync(new ValidateJWTSVIDRequest { Audience = "svc", Svid = token }).DefaultTimeout();

        // Assert
        Assert.That(response.Claims.Fields.Keys, Is.EquivalentTo(new[] { "sub", "aud", "exp", "iat" }));
    }

    private static IEnumerable<TestCaseData> InvalidTokens()
    {
        var now = TimeProvider.System.GetUtcNow();
        yield return new TestCaseData(Domain.Signer.CreateToken(Domain.Id("/w"), ["other"], now.AddMinutes(5)), "svc").SetArgDisplayNames("wrong audience");
        yield return new TestCaseData(Domain.Signer.CreateToken(Domain.Id("/w"), ["svc"], now.AddMinutes(-5)), "svc").SetArgDisplayNames("expired");
        yield return new TestCaseData(Foreign.Signer.CreateToken(Foreign.Id("/w"), ["svc"], now.AddMinutes(5)), "svc").SetArgDisplayNames("untrusted trust domain");
        yield return new TestCaseData(new TestTrustDomain("example.org", "k1").Signer.CreateToken(Domain.Id("/w"), ["svc"], now.AddMinutes(5)), "svc").SetArgDisplayNames("bad signature");
        yield return new TestCaseData("not-a-token", "svc").SetArgDisplayNames("garbage");
    }

    [TestCaseSource(nameof(InvalidTokens))]
    public async Task ValidateJwtSvid_InvalidToken_InvalidArgumentWithReason(string token, string audience)
    {
        // Arrange
        await using var harness = await EndpointHarness.StartAsync(Domain);
        harness.Cache.ValidationBundles = new JwtBundleSet([Domain.JwtBundle]);
        var client = harness.CreateClient();

        // Act
        var ex = Assert.ThrowsAsync<RpcException>(() => client.ValidateJwtSvidAsync(new ValidateJWTSVIDRequest { Audience = audience, Svid = token }).DefaultTimeout());

        // Assert
        Assert.That(ex!.StatusCode, Is.EqualTo(StatusCode.InvalidArgument));
        Assert.That(ex.Status.Detail, Is.Not.Empty);
        Assert.That(harness.Attestation.Calls, Is.EqualTo(1));
    }
}
