using Grpc.Core;
using Spiffe.Agent.Endpoints.Tests.Infrastructure;
using Spiffe.WorkloadApi.Proto;

namespace Spiffe.Agent.Endpoints.Tests;

[TestFixture]
public sealed class SecurityHeaderTests
{
    private static readonly TestTrustDomain Domain = new("example.org");

    private static IEnumerable<TestCaseData> BadHeaders()
    {
        yield return new TestCaseData(new Metadata()).SetArgDisplayNames("missing");
        yield return new TestCaseData(new Metadata { { "workload.spiffe.io", "false" } }).SetArgDisplayNames("false");
        yield return new TestCaseData(new Metadata { { "workload.spiffe.io", "True" } }).SetArgDisplayNames("True (case-sensitive)");
        yield return new TestCaseData(new Metadata { { "workload.spiffe.io", "true" }, { "workload.spiffe.io", "true" } }).SetArgDisplayNames("two values");
    }

    [TestCaseSource(nameof(BadHeaders))]
    public async Task FetchX509Svid_BadSecurityHeader_InvalidArgumentBeforeAttestation(Metadata headers)
    {
        // Arrange
        await using var harness = await EndpointHarness.StartAsync(Domain);
        var client = harness.CreateClient();

        // Act
        using var call = client.FetchX509Svid(headers);
        var ex = Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext().DefaultTimeout());

        // Assert
        Assert.That(ex!.StatusCode, Is.EqualTo(StatusCode.InvalidArgument));
        Assert.That(ex.Status.Detail, Is.EqualTo("security header missing from request"));
        Assert.That(harness.Attestation.Calls, Is.Zero);
        Assert.That(harness.Logs.Events.Select(e => e.EventName), Does.Contain("SecurityHeaderMissing"));
    }

    [Test]
    public async Task FetchJwtSvid_MissingHeaderAndNoAudience_HeaderCheckedFirst()
    {
        // Arrange
        await using var harness = await EndpointHarness.StartAsync(Domain);
        var client = harness.CreateClient();

        // Act
        var ex = Assert.ThrowsAsync<RpcException>(() => client.FetchJwtSvidAsync(new JWTSVIDRequest(), new Metadata()).DefaultTimeout());

        // Assert
        Assert.That(ex!.StatusCode, Is.EqualTo(StatusCode.InvalidArgument));
        Assert.That(ex.Status.Detail, Is.EqualTo("security header missing from request"));
        Assert.That(harness.Attestation.Calls, Is.Zero);
    }

    [Test]
    public async Task ValidateJwtSvid_MissingHeader_InvalidArgumentBeforeAttestation()
    {
        // Arrange
        await using var harness = await EndpointHarness.StartAsync(Domain);
        var client = harness.CreateClient();

        // Act
        var ex = Assert.ThrowsAsync<RpcException>(() => client.ValidateJwtSvidAsync(new ValidateJWTSVIDRequest { Audience = "a", Svid = "x.y.z" }, new Metadata()).DefaultTimeout());

        // Assert
        Assert.That(ex!.StatusCode, Is.EqualTo(StatusCode.InvalidArgument));
        Assert.That(harness.Attestation.Calls, Is.Zero);
    }

    [Test]
    public async Task HealthCheck_NoSecurityHeader_IsServed()
    {
        // Arrange
        await using var harness = await EndpointHarness.StartAsync(Domain);
        var client = harness.CreateClient();

        // Act
        var response = await client.Health.CheckAsync(new Proto.Grpc.Health.V1.HealthCheckRequest()).ResponseAsync.DefaultTimeout();

        // Assert
        Assert.That(response.Status, Is.EqualTo(Proto.Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus.Serving));
    }
}
