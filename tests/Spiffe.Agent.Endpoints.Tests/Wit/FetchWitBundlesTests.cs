using System.Text.Json;
using Grpc.Core;
using Spiffe.Agent.Endpoints.Tests.Infrastructure;
using Spiffe.Core;
using Spiffe.WorkloadApi.Proto;

namespace Spiffe.Agent.Endpoints.Tests.Wit;

[TestFixture]
public sealed class FetchWitBundlesTests
{
    private static readonly WitTestDomain Domain = new("example.org");
    private static readonly WitTestDomain Federated = new("partner.example", "wit-p");

    [Test]
    public async Task FetchWitBundles_Caller_JwksTextWithKidAndWitSvidUse()
    {
        // Arrange
        await using var harness = await WitEndpointHarness.StartAsync(Domain);
        harness.WitCache.Publish(Domain.Update(Domain.Identity("e1", "/web")));

        // Act
        using var call = harness.FetchWitBundles();
        var message = await NextAsync(call);

        // Assert
        Assert.That(message.Bundles.Keys, Is.EqualTo(new[] { "spiffe://example.org" }));
        using var jwks = JsonDocument.Parse(message.Bundles["spiffe://example.org"]);
        var key = jwks.RootElement.GetProperty("keys").EnumerateArray().Single();
        Assert.That(key.GetProperty("kid").GetString(), Is.EqualTo("wit-1"));
        Assert.That(key.GetProperty("use").GetString(), Is.EqualTo("wit-svid"));
        var parsed = WitBundle.Parse(Domain.TrustDomain, message.Bundles["spiffe://example.org"]);
        Assert.That(parsed.WitAuthorities.Keys, Is.EqualTo(new[] { "wit-1" }));
        Assert.That(harness.WitCache.Subscriptions, Is.EqualTo(new[] { false }), "bundles alone mint nothing");
    }

    [Test]
    public async Task FetchWitBundles_EntryFederates_FederatedBundleIncluded()
    {
        // Arrange
        await using var harness = await WitEndpointHarness.StartAsync(Domain);
        harness.WitCache.Publish(Domain.Update([Domain.Identity("e1", "/web")], [Federated.Bundle]));

        // Act
        using var call = harness.FetchWitBundles();
        var message = await NextAsync(call);

        // Assert
        Assert.That(message.Bundles.Keys, Is.EquivalentTo(new[] { "spiffe://example.org", "spiffe://partner.example" }));
    }

    [Test]
    public async Task FetchWitBundles_IdenticalConsecutiveStates_SentOnce()
    {
        // Arrange
        await using var harness = await WitEndpointHarness.StartAsync(Domain);
        harness.WitCache.Publish(Domain.Update(Domain.Identity("e1", "/web")));
        using var call = harness.FetchWitBundles();
        await NextAsync(call);

        // Act
        harness.WitCache.Publish(Domain.Update(Domain.Identity("e1", "/web")));
        harness.WitCache.Publish(Domain.Update([Domain.Identity("e1", "/web")], [Federated.Bundle]));
        var next = await NextAsync(call);

        // Assert
        Assert.That(next.Bundles.Keys, Is.EquivalentTo(new[] { "spiffe://example.org", "spiffe://partner.example" }));
    }

    [Test]
    public async Task FetchWitBundles_NoIdentity_PermissionDenied()
    {
        // Arrange
        await using var harness = await WitEndpointHarness.StartAsync(Domain);

        // Act
        using var call = harness.FetchWitBundles();
        var ex = Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext().DefaultTimeout());

        // Assert
        Assert.That(ex!.StatusCode, Is.EqualTo(StatusCode.PermissionDenied));
    }

    [Test]
    public async Task FetchWitBundles_NoIdentityWithUnauthenticatedVerifiers_OwnBundleOnly()
    {
        // Arrange
        await using var harness = await WitEndpointHarness.StartAsync(Domain);
        harness.Options.AllowUnauthenticatedVerifiers = true;
        harness.WitCache.Publish(Domain.Update([], [Federated.Bundle]));

        // Act
        using var call = harness.FetchWitBundles();
        var message = await NextAsync(call);

        // Assert
        Assert.That(message.Bundles.Keys, Is.EqualTo(new[] { "spiffe://example.org" }));
    }

    [Test]
    public async Task FetchWitBundles_TrustDomainWithoutWitAuthorities_Unimplemented()
    {
        // Arrange
        await using var harness = await WitEndpointHarness.StartAsync(Domain);
        harness.WitCache.IsEnabled = false;

        // Act
        using var call = harness.FetchWitBundles();
        var ex = Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext().DefaultTimeout());

        // Assert
        Assert.That(ex!.StatusCode, Is.EqualTo(StatusCode.Unimplemented));
    }

    private static async Task<WITBundlesResponse> NextAsync(AsyncServerStreamingCall<WITBundlesResponse> call)
    {
        Assert.That(await call.ResponseStream.MoveNext().DefaultTimeout(), Is.True);
        return call.ResponseStream.Current;
    }
}
