using Grpc.Core;
using Spiffe.Agent.Core.Attestation;
using Spiffe.Agent.Endpoints.Tests.Infrastructure;
using Spiffe.WorkloadApi.Proto;

namespace Spiffe.Agent.Endpoints.Tests;

[TestFixture]
public sealed class WorkloadAttestationTests
{
    private static readonly TestTrustDomain Domain = new("example.org");

    [Test]
    public async Task FetchX509Svid_AttestationFails_Unavailable()
    {
        // Arrange
        await using var harness = await EndpointHarness.StartAsync(Domain);
        harness.Attestation.Result = _ => WorkloadAttestationResult.AttestationFailed();
        var client = harness.CreateClient();

        // Act
        using var call = client.FetchX509Svid();
        var ex = Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext().DefaultTimeout());

        // Assert
        Assert.That(ex!.StatusCode, Is.EqualTo(StatusCode.Unavailable));
        Assert.That(ex.Status.Detail, Is.EqualTo("workload attestation failed"));
        Assert.That(harness.Cache.ActiveSubscriptions, Is.Zero);
    }

    [Test]
    public async Task FetchJwtSvid_AttestationFails_Unavailable()
    {
        // Arrange
        await using var harness = await EndpointHarness.StartAsync(Domain);
        harness.Attestation.Result = _ => WorkloadAttestationResult.AttestationFailed();
        var client = harness.CreateClient();

        // Act
        var ex = Assert.ThrowsAsync<RpcException>(() => client.FetchJwtSvidAsync(new JWTSVIDRequest { Audience = { "a" } }).DefaultTimeout());

        // Assert
        Assert.That(ex!.StatusCode, Is.EqualTo(StatusCode.Unavailable));
        Assert.That(harness.Cache.JwtRequests, Is.Empty);
    }

    [Test]
    public async Task FetchX509Svid_CallerGone_UnauthenticatedAndConnectionClosed()
    {
        // Arrange
        await using var harness = await EndpointHarness.StartAsync(Domain);
        harness.Cache.Publish(Domain.Update(Domain.Identity("e1", "/w")));
        harness.Attestation.Result = _ => WorkloadAttestationResult.CallerGone();
        var client = harness.CreateClient();

        // Act
        using var call = client.FetchX509Svid();
        var ex = Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext().DefaultTimeout());
        await harness.Tracker.Watchers[0].Disposed.DefaultTimeout();

        // Assert
        Assert.That(ex!.StatusCode, Is.EqualTo(StatusCode.Unauthenticated));
        Assert.That(ex.Status.Detail, Does.StartWith("could not verify existence of the original caller"));
        Assert.That(harness.Cache.ActiveSubscriptions, Is.Zero);
        Assert.That(harness.Logs.Events.Select(e => e.EventName), Does.Contain("CallerGone"));
    }

    [Test]
    public async Task FetchX509Svid_CallerGone_NextCallUsesNewConnection()
    {
        // Arrange
        await using var harness = await EndpointHarness.StartAsync(Domain);
        harness.Cache.Publish(Domain.Update(Domain.Identity("e1", "/w")));
        harness.Attestation.Result = _ => WorkloadAttestationResult.CallerGone();
        var client = harness.CreateClient();
        using (var first = client.FetchX509Svid())
        {
            Assert.ThrowsAsync<RpcException>(() => first.ResponseStream.MoveNext().DefaultTimeout());
        }

        await harness.Tracker.Watchers[0].Disposed.DefaultTimeout();
        harness.Attestation.Result = _ => WorkloadAttestationResult.Succeeded(SelectorSet.Create([new Selector("unix", "uid:1000")]));

        // Act
        using var second = client.FetchX509Svid();
        var received = await second.ResponseStream.MoveNext().DefaultTimeout();

        // Assert
        Assert.That(received, Is.True);
        Assert.That(harness.Tracker.TrackCount, Is.EqualTo(2));
    }

    [Test]
    public async Task Calls_SeveralOnOneConnection_CallerTrackedOnceAndAttestedPerCall()
    {
        // Arrange
        await using var harness = await EndpointHarness.StartAsync(Domain);
        harness.Cache.Publish(Domain.Update(Domain.Identity("e1", "/w")));
        var client = harness.CreateClient();

        // Act
        for (var i = 0; i < 3; i++)
        {
            using var call = client.FetchX509Svid();
            Assert.That(await call.ResponseStream.MoveNext().DefaultTimeout(), Is.True);
        }

        // Assert
        Assert.That(harness.Tracker.TrackCount, Is.EqualTo(1));
        Assert.That(harness.Attestation.Calls, Is.EqualTo(3));
        Assert.That(harness.Tracker.SocketFamilies, Is.All.EqualTo(System.Net.Sockets.AddressFamily.Unix));
    }

    [Test]
    public async Task Connection_Closed_WatcherDisposed()
    {
        // Arrange
        await using var harness = await EndpointHarness.StartAsync(Domain);
        harness.Cache.Publish(Domain.Update(Domain.Identity("e1", "/w")));
        var client = harness.CreateClient();
        using (var call = client.FetchX509Svid())
        {
            Assert.That(await call.ResponseStream.MoveNext().DefaultTimeout(), Is.True);
        }

        // Act
        client.Dispose();

        // Assert
        await harness.Tracker.Watchers[0].Disposed.DefaultTimeout();
        Assert.That(harness.Tracker.Watchers[0].Disposed.IsCompletedSuccessfully, Is.True);
    }

    [Test]
    public async Task Connection_CallerCannotBeTracked_ClosedAndEndpointKeepsServing()
    {
        // Arrange
        await using var harness = await EndpointHarness.StartAsync(Domain);
        harness.Cache.Publish(Domain.Update(Domain.Identity("e1", "/w")));
        harness.Tracker.FailWith = new CallerTrackingException("peer gone");
        var refused = harness.CreateClient();
        using (var call = refused.FetchX509Svid())
        {
            var ex = Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext().DefaultTimeout());
            Assert.That(ex!.StatusCode, Is.EqualTo(StatusCode.Unavailable));
        }

        harness.Tracker.FailWith = null;
        var client = harness.CreateClient();

        // Act
        using var accepted = client.FetchX509Svid();
        var received = await accepted.ResponseStream.MoveNext().DefaultTimeout();

        // Assert
        Assert.That(received, Is.True);
        Assert.That(harness.Attestation.Calls, Is.EqualTo(1));
        Assert.That(harness.Logs.Events.Select(e => e.EventName), Does.Contain("CallerTrackingFailed"));
    }

    [Test]
    public async Task FetchX509Svid_Attested_SubscribesWithCallerSelectors()
    {
        // Arrange
        await using var harness = await EndpointHarness.StartAsync(Domain);
        var selectors = SelectorSet.Create([new Selector("unix", "uid:7"), new Selector("unix", "gid:7")]);
        harness.Attestation.Result = _ => WorkloadAttestationResult.Succeeded(selectors);
        harness.Cache.Publish(Domain.Update(Domain.Identity("e1", "/w")));
        var client = harness.CreateClient();

        // Act
        using var call = client.FetchX509Svid();
        await call.ResponseStream.MoveNext().DefaultTimeout();

        // Assert
        Assert.That(harness.Cache.LastSubscribedSelectors, Is.SameAs(selectors));
    }
}
