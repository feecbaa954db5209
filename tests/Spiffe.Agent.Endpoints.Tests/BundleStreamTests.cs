using System.Text.Json;
using Grpc.Core;
using Spiffe.Agent.Endpoints.Tests.Infrastructure;

namespace Spiffe.Agent.Endpoints.Tests;

[TestFixture]
public sealed class BundleStreamTests
{
    private static readonly TestTrustDomain Domain = new("example.org");
    private static readonly TestTrustDomain Federated = new("federated.test", "fk1");
    private static readonly TestTrustDomain Rotated = new("example.org", "k2");

    [Test]
    public async Task FetchX509Bundles_NoIdentity_PermissionDenied()
    {
        // Arrange
        await using var harness = await EndpointHarness.StartAsync(Domain);
        var client = harness.CreateClient();

        // Act
        using var call = client.FetchX509Bundles();
        var ex = Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext().DefaultTimeout());

        // Assert
        Assert.That(ex!.StatusCode, Is.EqualTo(StatusCode.PermissionDenied));
        Assert.That(ex.Status.Detail, Is.EqualTo("no identity issued"));
    }

    [Test]
    public async Task FetchJwtBundles_NoIdentity_PermissionDenied()
    {
        // Arrange
        await using var harness = await EndpointHarness.StartAsync(Domain);
        var client = harness.CreateClient();

        // Act
        using var call = client.FetchJwtBundles();
        var ex = Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext().DefaultTimeout());

        // Assert
        Assert.That(ex!.StatusCode, Is.EqualTo(StatusCode.PermissionDenied));
    }

    [Test]
    public async Task FetchX509Bundles_NoIdentityWithUnauthenticatedVerifiers_OwnBundleOnly()
    {
        // Arrange
        await using var harness = await EndpointHarness.StartAsync(Domain, new WorkloadEndpointOptions { AllowUnauthenticatedVerifiers = true });
        harness.Cache.Publish(Domain.Update([], Federated));
        var client = harness.CreateClient();

        // Act
        using var call = client.FetchX509Bundles();
        await call.ResponseStream.MoveNext().DefaultTimeout();

        // Assert
        var bundles = call.ResponseStream.Current.Bundles;
        Assert.That(bundles.Keys, Is.EquivalentTo(new[] { "spiffe://example.org" }));
        Assert.That(bundles["spiffe://example.org"].ToByteArray(), Is.EqualTo(Domain.X509Bundle.Marshal()));
    }

    [Test]
    public async Task FetchJwtBundles_NoIdentityWithUnauthenticatedVerifiers_OwnBundleOnly()
    {
        // Arrange
        await using var harness = await EndpointHarness.StartAsync(Domain, new WorkloadEndpointOptions { AllowUnauthenticatedVerifiers = true });
        harness.Cache.Publish(Domain.Update([], Federated));
        var client = harness.CreateClient();

        // Act
        using var call = client.FetchJwtBundles();
        await call.ResponseStream.MoveNext().DefaultTimeout();

        // Assert
        Assert.That(call.ResponseStream.Current.Bundles.Keys, Is.EquivalentTo(new[] { "spiffe://example.org" }));
    }

    [Test]
    public async Task FetchX509Bundles_Identity_OwnAndFederatedBundlesKeyedByTrustDomainId()
    {
        // Arrange
        await using var harness = await EndpointHarness.StartAsync(Domain);
        harness.Cache.Publish(Domain.Update([Domain.Identity("e1", "/w")], Federated));
        var client = harness.CreateClient();

        // Act
        using var call = client.FetchX509Bundles();
        await call.ResponseStream.MoveNext().DefaultTimeout();

        // Assert
        var bundles = call.ResponseStream.Current.Bundles;
        Assert.That(bundles.Keys, Is.EquivalentTo(new[] { "spiffe://example.org", "spiffe://federated.test" }));
        Assert.That(bundles["spiffe://federated.test"].ToByteArray(), Is.EqualTo(Federated.X509Bundle.Marshal()));
    }

    [Test]
    public async Task FetchJwtBundles_Identity_PlainJwksWithKidAndNoSpiffeMembers()
    {
        // Arrange
        await using var harness = await EndpointHarness.StartAsync(Domain);
        harness.Cache.Publish(Domain.Update([Domain.Identity("e1", "/w")], Federated));
        var client = harness.CreateClient();

        // Act
        using var call = client.FetchJwtBundles();
        await call.ResponseStream.MoveNext().DefaultTimeout();

        // Assert
        var bundles = call.ResponseStream.Current.Bundles;
        Assert.That(bundles.Keys, Is.EquivalentTo(new[] { "spiffe://example.org", "spiffe://federated.test" }));
        using var jwks = JsonDocument.Parse(bundles["spiffe://example.org"].Memory);
        Assert.That(jwks.RootElement.EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { "keys" }));
        var key = jwks.RootElement.GetProperty("keys")[0];
        Assert.That(key.GetProperty("kid").GetString(), Is.EqualTo("k1"));
        Assert.That(key.TryGetProperty("use", out _), Is.False);
    }

    [Test]
    public async Task FetchX509Bundles_IdenticalConsecutiveContent_Suppressed()
    {
        // Arrange
        await using var harness = await EndpointHarness.StartAsync(Domain);
        harness.Cache.Publish(Domain.Update(Domain.Identity("e1", "/one")));
        var client = harness.CreateClient();
        using var call = client.FetchX509Bundles();
        await call.ResponseStream.MoveNext().DefaultTimeout();

        // Act: an SVID change leaves the bundles as they were; then a federated bundle appears.
        harness.Cache.Publish(Domain.Update(Domain.Identity("e1", "/one"), Domain.Identity("e2", "/two")));
        harness.Cache.Publish(Domain.Update([Domain.Identity("e2", "/two")], Federated));
        Assert.That(await call.ResponseStream.MoveNext().DefaultTimeout(), Is.True);

        // Assert: the message after the first is the one with the new bundle.
        Assert.That(call.ResponseStream.Current.Bundles.Keys, Is.EquivalentTo(new[] { "spiffe://example.org", "spiffe://federated.test" }));
    }

    [Test]
    public async Task FetchJwtBundles_IdenticalConsecutiveContent_SuppressedUntilKeyChanges()
    {
        // Arrange
        await using var harness = await EndpointHarness.StartAsync(Domain);
        harness.Cache.Publish(Domain.Update(Domain.Identity("e1", "/one")));
        var client = harness.CreateClient();
        using var call = client.FetchJwtBundles();
        await call.ResponseStream.MoveNext().DefaultTimeout();
        var first = call.ResponseStream.Current;

        // Act
        harness.Cache.Publish(Domain.Update(Domain.Identity("e1", "/one")));
        harness.Cache.Publish(Rotated.Update(Domain.Identity("e1", "/one")));
        Assert.That(await call.ResponseStream.MoveNext().DefaultTimeout(), Is.True);
        var second = call.ResponseStream.Current;

        // Assert
        Assert.That(second, Is.Not.EqualTo(first));
        using var jwks = JsonDocument.Parse(second.Bundles["spiffe://example.org"].Memory);
        Assert.That(jwks.RootElement.GetProperty("keys")[0].GetProperty("kid").GetString(), Is.EqualTo("k2"));
    }
}
