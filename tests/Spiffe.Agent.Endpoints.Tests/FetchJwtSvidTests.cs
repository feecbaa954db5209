using Grpc.Core;
using Spiffe.Agent.Core.Workload;
using Spiffe.Agent.Endpoints.Tests.Infrastructure;
using Spiffe.WorkloadApi.Proto;

namespace Spiffe.Agent.Endpoints.Tests;

[TestFixture]
public sealed class FetchJwtSvidTests
{
    private static readonly TestTrustDomain Domain = new("example.org");

    private static IEnumerable<TestCaseData> BadRequests()
    {
        yield return new TestCaseData(Array.Empty<string>(), "", "audience must be specified").SetArgDisplayNames("no audience");
        yield return new TestCaseData(new[] { "" }, "", "audience must be specified").SetArgDisplayNames("empty audience");
        yield return new TestCaseData(new[] { "a" }, "not-an-id", "invalid requested SPIFFE ID").SetArgDisplayNames("bad spiffe_id");
        yield return new TestCaseData(new[] { "a" }, "spiffe://example.org/../x", "invalid requested SPIFFE ID").SetArgDisplayNames("dot segment");
    }

    [TestCaseSource(nameof(BadRequests))]
    public async Task FetchJwtSvid_BadRequest_InvalidArgumentWithoutAttestation(string[] audience, string spiffeId, string message)
    {
        // Arrange
        var request = new JWTSVIDRequest { Audience = { audience }, SpiffeId = spiffeId };
        await using var harness = await EndpointHarness.StartAsync(Domain);
        var client = harness.CreateClient();

        // Act
        var ex = Assert.ThrowsAsync<RpcException>(() => client.FetchJwtSvidAsync(request).DefaultTimeout());

        // Assert
        Assert.That(ex!.StatusCode, Is.EqualTo(StatusCode.InvalidArgument));
        Assert.That(ex.Status.Detail, Does.StartWith(message));
        Assert.That(harness.Attestation.Calls, Is.Zero);
    }

    [Test]
    public async Task FetchJwtSvid_NoMatchingIdentity_PermissionDenied()
    {
        // Arrange
        await using var harness = await EndpointHarness.StartAsync(Domain);
        var client = harness.CreateClient();

        // Act
        var ex = Assert.ThrowsAsync<RpcException>(() => client.FetchJwtSvidAsync(new JWTSVIDRequest { Audience = { "a" } }).DefaultTimeout());

        // Assert
        Assert.That(ex!.StatusCode, Is.EqualTo(StatusCode.PermissionDenied));
        Assert.That(ex.Status.Detail, Is.EqualTo("no identity issued"));
    }

    [Test]
    public async Task FetchJwtSvid_Entitled_ReturnsTokensWithHintsAndPassesArguments()
    {
        // Arrange
        await using var harness = await EndpointHarness.StartAsync(Domain);
        var now = TimeProvider.System.GetUtcNow();
        harness.Cache.JwtSvids = (_, audiences, _) =>
        [
            new IssuedJwtSvid("e1", Domain.Id("/one"), Domain.Signer.CreateToken(Domain.Id("/one"), audiences, now.AddMinutes(5)), "h1", now, now.AddMinutes(5)),
            new IssuedJwtSvid("e2", Domain.Id("/two"), Domain.Signer.CreateToken(Domain.Id("/two"), audiences, now.AddMinutes(5)), string.Empty, now, now.AddMinutes(5)),
        ];
        var client = harness.CreateClient();

        // Act
        var response = await client.FetchJwtSvidAsync(new JWTSVIDRequest { Audience = { "a", "b" }, SpiffeId = "spiffe://example.org/one" }).DefaultTimeout();

        // Assert
        Assert.That(response.Svids.Select(s => (s.SpiffeId, s.Hint)), Is.EqualTo(new[] { ("spiffe://example.org/one", "h1"), ("spiffe://example.org/two", string.Empty) }));
        Assert.That(response.Svids[0].Svid.Split('.'), Has.Length.EqualTo(3));
        var request = harness.Cache.JwtRequests.Single();
        Assert.That(request.Audiences, Is.EqualTo(new[] { "a", "b" }));
        Assert.That(request.SpiffeId?.ToString(), Is.EqualTo("spiffe://example.org/one"));
        Assert.That(request.Selectors.ToString(), Is.EqualTo("unix:uid:1000"));
    }

    [Test]
    public async Task FetchJwtSvid_ServerUnreachableAndNothingCached_Unavailable()
    {
        // Arrange
        await using var harness = await EndpointHarness.StartAsync(Domain);
        harness.Cache.JwtSvids = (_, _, _) => throw new JwtSvidUnavailableException("server unreachable", new IOException("refused"));
        var client = harness.CreateClient();

        // Act
        var ex = Assert.ThrowsAsync<RpcException>(() => client.FetchJwtSvidAsync(new JWTSVIDRequest { Audience = { "a" } }).DefaultTimeout());

        // Assert
        Assert.That(ex!.StatusCode, Is.EqualTo(StatusCode.Unavailable));
        Assert.That(ex.Status.Detail, Is.EqualTo("could not fetch JWT-SVID: server unreachable"));
    }

    [Test]
    public async Task FetchJwtSvid_DuplicateHints_FirstKept()
    {
        // Arrange
        await using var harness = await EndpointHarness.StartAsync(Domain);
        var now = TimeProvider.System.GetUtcNow();
        harness.Cache.JwtSvids = (_, audiences, _) =>
        [
            new IssuedJwtSvid("e1", Domain.Id("/one"), Domain.Signer.CreateToken(Domain.Id("/one"), audiences, now.AddMinutes(5)), "h", now, now.AddMinutes(5)),
            new IssuedJwtSvid("e2", Domain.Id("/two"), Domain.Signer.CreateToken(Domain.Id("/two"), audiences, now.AddMinutes(5)), "h", now, now.AddMinutes(5)),
        ];
        var client = harness.CreateClient();

        // Act
        var response = await client.FetchJwtSvidAsync(new JWTSVIDRequest { Audience = { "a" } }).DefaultTimeout();

        // Assert
        Assert.That(response.Svids.Select(s => s.SpiffeId), Is.EqualTo(new[] { "spiffe://example.org/one" }));
    }
}
