using Grpc.Core;
using Spiffe.Agent.Core.Workload;
using Spiffe.Agent.Endpoints.Tests.Infrastructure;
using Spiffe.Core;

namespace Spiffe.Agent.Endpoints.Tests;

[TestFixture]
public sealed class FetchX509SvidTests
{
    private static readonly TestTrustDomain Domain = new("example.org");
    private static readonly TestTrustDomain Federated = new("federated.test");

    [Test]
    public async Task FetchX509Svid_NoEntries_PermissionDeniedAndStreamEnds()
    {
        // Arrange
        await using var harness = await EndpointHarness.StartAsync(Domain);
        var client = harness.CreateClient();

        // Act
        using var call = client.FetchX509Svid();
        var ex = Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext().DefaultTimeout());

        // Assert
        Assert.That(ex!.StatusCode, Is.EqualTo(StatusCode.PermissionDenied));
        Assert.That(ex.Status.Detail, Is.EqualTo("no identity issued"));
        Assert.That(harness.Cache.ActiveSubscriptions, Is.Zero);
        Assert.That(harness.Logs.Events.Select(e => e.EventName), Does.Contain("NoIdentityIssued"));
    }

    [Test]
    public async Task FetchX509Svid_Identity_FirstMessageHasChainKeyBundleAndFederatedBundles()
    {
        // Arrange
        await using var harness = await EndpointHarness.StartAsync(Domain);
        var identity = Domain.Identity("e1", "/workload", hint: "internal");
        harness.Cache.Publish(Domain.Update([identity], Federated));
        var client = harness.CreateClient();

        // Act
        using var call = client.FetchX509Svid();
        Assert.That(await call.ResponseStream.MoveNext().DefaultTimeout(), Is.True);
        var response = call.ResponseStream.Current;

        // Assert
        Assert.That(response.Svids, Has.Count.EqualTo(1));
        var svid = response.Svids[0];
        Assert.That(svid.SpiffeId, Is.EqualTo("spiffe://example.org/workload"));
        Assert.That(svid.Hint, Is.EqualTo("internal"));
        var parsed = X509Svid.ParseRaw(svid.X509Svid.Span, svid.X509SvidKey.Span);
        Assert.That(parsed.Id.ToString(), Is.EqualTo("spiffe://example.org/workload"));
        Assert.That(parsed.Certificates[0].RawData, Is.EqualTo(identity.Svid.Certificates[0].RawData));
        Assert.That(svid.Bundle.ToByteArray(), Is.EqualTo(Domain.X509Bundle.Marshal()));
        Assert.That(response.FederatedBundles.Keys, Is.EquivalentTo(new[] { "spiffe://federated.test" }));
        Assert.That(response.FederatedBundles["spiffe://federated.test"].ToByteArray(), Is.EqualTo(Federated.X509Bundle.Marshal()));
        Assert.That(response.Crl, Is.Empty);
    }

    [Test]
    public async Task FetchX509Svid_SeveralIdentities_OrderedByEntryId()
    {
        // Arrange
        await using var harness = await EndpointHarness.StartAsync(Domain);
        harness.Cache.Publish(Domain.Update(Domain.Identity("c", "/three"), Domain.Identity("a", "/one"), Domain.Identity("b", "/two")));
        var client = harness.CreateClient();

        // Act
        using var call = client.FetchX509Svid();
        await call.ResponseStream.MoveNext().DefaultTimeout();

        // Assert
        Assert.That(call.ResponseStream.Current.Svids.Select(s => s.SpiffeId), Is.EqualTo(new[]
        {
            "spiffe://example.org/one", "spiffe://example.org/two", "spiffe://example.org/three",
        }));
    }

    [Test]
    public async Task FetchX509Svid_DuplicateHints_KeepsOldestEntryThenSmallerId()
    {
        // Arrange
        await using var harness = await EndpointHarness.StartAsync(Domain);
        var t0 = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);
        harness.Cache.Publish(Domain.Update(
            Domain.Identity("a", "/newer", hint: "db", createdAt: t0.AddSeconds(10)),
            Domain.Identity("b", "/older", hint: "db", createdAt: t0),
            Domain.Identity("c", "/tie-large", hint: "cache", createdAt: t0),
            Domain.Identity("d", "/plain"),
            Domain.Identity("e", "/plain2"),
            Domain.Identity("f", "/tie-small-id-loses-to-c", hint: "cache", createdAt: t0)));
        var client = harness.CreateClient();

        // Act
        using var call = client.FetchX509Svid();
        await call.ResponseStream.MoveNext().DefaultTimeout();

        // Assert
        Assert.That(call.ResponseStream.Current.Svids.Select(s => s.SpiffeId), Is.EqualTo(new[]
        {
            "spiffe://example.org/older", "spiffe://example.org/tie-large", "spiffe://example.org/plain", "spiffe://example.org/plain2",
        }));
    }

    [Test]
    public async Task FetchX509Svid_CacheChanges_FullStateMessageOnEveryChange()
    {
        // Arrange
        await using var harness = await EndpointHarness.StartAsync(Domain);
        harness.Cache.Publish(Domain.Update(Domain.Identity("e1", "/one")));
        var client = harness.CreateClient();
        using var call = client.FetchX509Svid();
        await call.ResponseStream.MoveNext().DefaultTimeout();
        var first = call.ResponseStream.Current;

        // Act
        var rotated = Domain.Identity("e1", "/one");
        harness.Cache.Publish(Domain.Update(rotated, Domain.Identity("e2", "/two")));
        Assert.That(await call.ResponseStream.MoveNext().DefaultTimeout(), Is.True);
        var second = call.ResponseStream.Current;
        harness.Cache.Publish(Domain.Update(Domain.Identity("e2", "/two")));
        Assert.That(await call.ResponseStream.MoveNext().DefaultTimeout(), Is.True);
        var third = call.ResponseStream.Current;

        // Assert
        Assert.That(second.Svids.Select(s => s.SpiffeId), Is.EqualTo(new[] { "spiffe://example.org/one", "spiffe://example.org/two" }));
        Assert.That(second.Svids[0].X509Svid, Is.Not.EqualTo(first.Svids[0].X509Svid));
        Assert.That(second.Svids[0].X509Svid.ToByteArray(), Is.EqualTo(rotated.Svid.Certificates.SelectMany(c => c.RawData).ToArray()));
        Assert.That(third.Svids.Select(s => s.SpiffeId), Is.EqualTo(new[] { "spiffe://example.org/two" }));
    }

    [Test]
    public async Task FetchX509Svid_IdentitiesRemovedMidStream_PermissionDenied()
    {
        // Arrange
        await using var harness = await EndpointHarness.StartAsync(Domain);
        harness.Cache.Publish(Domain.Update(Domain.Identity("e1", "/one")));
        var client = harness.CreateClient();
        using var call = client.FetchX509Svid();
        await call.ResponseStream.MoveNext().DefaultTimeout();

        // Act
        harness.Cache.Publish(Domain.Update());
        var ex = Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext().DefaultTimeout());

        // Assert
        Assert.That(ex!.StatusCode, Is.EqualTo(StatusCode.PermissionDenied));
        Assert.That(ex.Status.Detail, Is.EqualTo("no identity issued"));
    }

    [Test]
    public async Task FetchX509Svid_SubscriptionRevoked_PermissionDeniedWithReason()
    {
        // Arrange
        await using var harness = await EndpointHarness.StartAsync(Domain);
        harness.Cache.Publish(Domain.Update(Domain.Identity("e1", "/one")));
        var client = harness.CreateClient();
        using var call = client.FetchX509Svid();
        await call.ResponseStream.MoveNext().DefaultTimeout();

        // Act
        harness.Cache.CompleteAll(new WorkloadSubscriptionRevokedException("task lease revoked"));
        var ex = Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext().DefaultTimeout());

        // Assert
        Assert.That(ex!.StatusCode, Is.EqualTo(StatusCode.PermissionDenied));
        Assert.That(ex.Status.Detail, Is.EqualTo("task lease revoked"));
    }

    [Test]
    public async Task FetchX509Svid_SubscriptionEndsWithoutError_Unavailable()
    {
        // Arrange
        await using var harness = await EndpointHarness.StartAsync(Domain);
        harness.Cache.Publish(Domain.Update(Domain.Identity("e1", "/one")));
        var client = harness.CreateClient();
        using var call = client.FetchX509Svid();
        await call.ResponseStream.MoveNext().DefaultTimeout();

        // Act
        harness.Cache.CompleteAll();
        var ex = Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext().DefaultTimeout());

        // Assert
        Assert.That(ex!.StatusCode, Is.EqualTo(StatusCode.Unavailable));
    }

    [Test]
    public async Task FetchX509Svid_ClientCancels_SubscriptionDisposed()
    {
        // Arrange
        await using var harness = await EndpointHarness.StartAsync(Domain);
        harness.Cache.Publish(Domain.Update(Domain.Identity("e1", "/one")));
        var client = harness.CreateClient();
        using var cts = new CancellationTokenSource();
        var call = client.FetchX509Svid(cancellationToken: cts.Token);
        await call.ResponseStream.MoveNext().DefaultTimeout();
        Assert.That(harness.Cache.ActiveSubscriptions, Is.EqualTo(1));

        // Act
        await cts.CancelAsync();
        call.Dispose();

        // Assert
        await WaitUntilAsync(() => harness.Cache.ActiveSubscriptions == 0);
        Assert.That(harness.Cache.ActiveSubscriptions, Is.Zero);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TaskTimeoutExtensions.Timeout);
        while (!condition())
        {
            await Task.Delay(TimeSpan.FromMilliseconds(20), TimeProvider.System, timeout.Token);
        }
    }
}
