using Grpc.Core;
using Spiffe.Agent.Core.Tasks;
using Spiffe.Agent.Endpoints.Tests.Infrastructure;
using Spiffe.Core;
using Spiffe.WorkloadApi.Proto;

namespace Spiffe.Agent.Endpoints.Tests.Wit;

[TestFixture]
public sealed class FetchWitSvidTests
{
    private static readonly WitTestDomain Domain = new("example.org");

    [Test]
    public async Task FetchWitSvid_CallerWithIdentities_StreamsEveryWitWithItsKey()
    {
        // Arrange
        await using var harness = await WitEndpointHarness.StartAsync(Domain);
        var first = Domain.Identity("e1", "/web", hint: "primary");
        var second = Domain.Identity("e2", "/batch");
        harness.WitCache.Publish(Domain.Update(first, second));

        // Act
        using var call = harness.FetchWitSvid();
        var message = await NextAsync(call);

        // Assert
        Assert.That(message.Svids.Select(s => (s.SpiffeId, s.WitSvid, s.Hint)), Is.EqualTo(new[]
        {
            ("spiffe://example.org/web", first.Credential.Svid.Token, "primary"),
            ("spiffe://example.org/batch", second.Credential.Svid.Token, string.Empty),
        }));
        using var key = WitSvid.ParsePrivateKey(message.Svids[0].WitSvidKey);
        Assert.That(first.Credential.Svid.ConfirmationKey.Matches(key), Is.True);
        Assert.That(harness.WitCache.Subscriptions, Is.EqualTo(new[] { true }));
    }

    [Test]
    public async Task FetchWitSvid_WitRotated_SendsTheNewStateOnTheStream()
    {
        // Arrange
        await using var harness = await WitEndpointHarness.StartAsync(Domain);
        harness.WitCache.Publish(Domain.Update(Domain.Identity("e1", "/web")));
        using var call = harness.FetchWitSvid();
        var before = await NextAsync(call);
        var rotated = Domain.Identity("e1", "/web");

        // Act
        harness.WitCache.Publish(Domain.Update(rotated));
        var after = await NextAsync(call);

        // Assert
        Assert.That(after.Svids.Single().WitSvid, Is.EqualTo(rotated.Credential.Svid.Token));
        Assert.That(after.Svids.Single().WitSvid, Is.Not.EqualTo(before.Svids.Single().WitSvid));
    }

    [Test]
    public async Task FetchWitSvid_SameStateTwice_SentOnce()
    {
        // Arrange
        await using var harness = await WitEndpointHarness.StartAsync(Domain);
        var identity = Domain.Identity("e1", "/web");
        harness.WitCache.Publish(Domain.Update(identity));
        using var call = harness.FetchWitSvid();
        await NextAsync(call);
        var rotated = Domain.Identity("e1", "/web");

        // Act
        harness.WitCache.Publish(Domain.Update(identity));
        harness.WitCache.Publish(Domain.Update(rotated));
        var next = await NextAsync(call);

        // Assert
        Assert.That(next.Svids.Single().WitSvid, Is.EqualTo(rotated.Credential.Svid.Token));
    }

    [Test]
    public async Task FetchWitSvid_SpiffeIdFilter_OnlyThatIdentity()
    {
        // Arrange
        await using var harness = await WitEndpointHarness.StartAsync(Domain);
        harness.WitCache.Publish(Domain.Update(Domain.Identity("e1", "/web"), Domain.Identity("e2", "/batch")));

        // Act
        using var call = harness.FetchWitSvid(new WITSVIDRequest { SpiffeId = "spiffe://example.org/batch" });
        var message = await NextAsync(call);

        // Assert
        Assert.That(message.Svids.Select(s => s.SpiffeId), Is.EqualTo(new[] { "spiffe://example.org/batch" }));
    }

    [Test]
    public async Task FetchWitSvid_SpiffeIdNotEntitled_PermissionDenied()
    {
        // Arrange
        await using var harness = await WitEndpointHarness.StartAsync(Domain);
        harness.WitCache.Publish(Domain.Update(Domain.Identity("e1", "/web")));

        // Act
        using var call = harness.FetchWitSvid(new WITSVIDRequest { SpiffeId = "spiffe://example.org/other" });
        var ex = Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext().DefaultTimeout());

        // Assert
        Assert.That(ex!.StatusCode, Is.EqualTo(StatusCode.PermissionDenied));
        Assert.That(ex.Status.Detail, Is.EqualTo("no identity issued"));
    }

    [Test]
    public async Task FetchWitSvid_NoEntry_PermissionDeniedNoIdentityIssued()
    {
        // Arrange
        await using var harness = await WitEndpointHarness.StartAsync(Domain);

        // Act
        using var call = harness.FetchWitSvid();
        var ex = Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext().DefaultTimeout());

        // Assert
        Assert.That(ex!.StatusCode, Is.EqualTo(StatusCode.PermissionDenied));
        Assert.That(ex.Status.Detail, Is.EqualTo("no identity issued"));
    }

    [Test]
    public async Task FetchWitSvid_EntriesGoneMidStream_PermissionDenied()
    {
        // Arrange
        await using var harness = await WitEndpointHarness.StartAsync(Domain);
        harness.WitCache.Publish(Domain.Update(Domain.Identity("e1", "/web")));
        using var call = harness.FetchWitSvid();
        await NextAsync(call);

        // Act
        harness.WitCache.Publish(Domain.Update());
        var ex = Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext().DefaultTimeout());

        // Assert
        Assert.That(ex!.StatusCode, Is.EqualTo(StatusCode.PermissionDenied));
    }

    [Test]
    public async Task FetchWitSvid_EntryWithoutWitYet_WaitsForTheWit()
    {
        // Arrange
        await using var harness = await WitEndpointHarness.StartAsync(Domain);
        var identity = Domain.Identity("e1", "/web");
        harness.WitCache.Publish(new Core.Wit.WitUpdate { Identities = [], Entries = [identity.Entry], Bundles = new WitBundleSet([Domain.Bundle]) });
        using var call = harness.FetchWitSvid();

        // Act
        harness.WitCache.Publish(Domain.Update(identity));
        var message = await NextAsync(call);

        // Assert
        Assert.That(message.Svids.Single().WitSvid, Is.EqualTo(identity.Credential.Svid.Token));
    }

    [Test]
    public async Task FetchWitSvid_WithoutSecurityHeader_InvalidArgumentBeforeAttestation()
    {
        // Arrange
        await using var harness = await WitEndpointHarness.StartAsync(Domain);

        // Act
        using var call = harness.FetchWitSvid(headers: []);
        var ex = Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext().DefaultTimeout());

        // Assert
        Assert.That(ex!.StatusCode, Is.EqualTo(StatusCode.InvalidArgument));
        Assert.That(ex.Status.Detail, Is.EqualTo("security header missing from request"));
        Assert.That(harness.Attestation.Calls, Is.Zero);
    }

    [Test]
    public async Task FetchWitSvid_InvalidSpiffeId_InvalidArgumentBeforeAttestation()
    {
        // Arrange
        await using var harness = await WitEndpointHarness.StartAsync(Domain);

        // Act
        using var call = harness.FetchWitSvid(new WITSVIDRequest { SpiffeId = "not a spiffe id" });
        var ex = Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext().DefaultTimeout());

        // Assert
        Assert.That(ex!.StatusCode, Is.EqualTo(StatusCode.InvalidArgument));
        Assert.That(harness.Attestation.Calls, Is.Zero);
    }

    [Test]
    public async Task FetchWitSvid_TrustDomainWithoutWitAuthorities_Unimplemented()
    {
        // Arrange
        await using var harness = await WitEndpointHarness.StartAsync(Domain);
        harness.WitCache.IsEnabled = false;

        // Act
        using var call = harness.FetchWitSvid();
        var ex = Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext().DefaultTimeout());

        // Assert
        Assert.That(ex!.StatusCode, Is.EqualTo(StatusCode.Unimplemented));
    }

    [Test]
    public async Task FetchWitSvid_CallerTaskKeysNotExportable_KeyWithheld()
    {
        // Arrange
        var tasks = new WitTaskFakes { CallerTask = WitTaskFakes.Task("t1", Domain.Id("/task/t1"), keysNotExportable: true) };
        await using var harness = await WitEndpointHarness.StartAsync(Domain, tasks);
        var identity = Domain.Identity("e1", "/task/t1", taskId: "t1");
        harness.WitCache.Publish(Domain.Update(identity));

        // Act
        using var call = harness.FetchWitSvid();
        var message = await NextAsync(call);

        // Assert
        Assert.That(message.Svids.Single().WitSvid, Is.EqualTo(identity.Credential.Svid.Token));
        Assert.That(message.Svids.Single().WitSvidKey, Is.Empty);
        Assert.That(harness.Logs.Events.Select(e => e.EventName), Does.Contain("WitKeyWithheld"));
    }

    [Test]
    public async Task FetchWitSvid_WitOfAnUnknownTask_KeyWithheld()
    {
        // Arrange
        await using var harness = await WitEndpointHarness.StartAsync(Domain, new WitTaskFakes());
        harness.WitCache.Publish(Domain.Update(Domain.Identity("e1", "/task/gone", taskId: "gone")));

        // Act
        using var call = harness.FetchWitSvid();
        var message = await NextAsync(call);

        // Assert
        Assert.That(message.Svids.Single().WitSvidKey, Is.Empty);
    }

    [Test]
    public async Task FetchWitSvid_TaskWithExportableKeys_KeySentAndIssueAudited()
    {
        // Arrange
        var tasks = new WitTaskFakes { CallerTask = WitTaskFakes.Task("t1", Domain.Id("/task/t1"), keysNotExportable: false) };
        await using var harness = await WitEndpointHarness.StartAsync(Domain, tasks);
        var identity = Domain.Identity("e1", "/task/t1", taskId: "t1");
        harness.WitCache.Publish(Domain.Update(identity));

        // Act
        using var call = harness.FetchWitSvid(new WITSVIDRequest { SpiffeId = "spiffe://example.org/task/t1" });
        var message = await NextAsync(call);

        // Assert
        Assert.That(message.Svids.Single().WitSvidKey, Is.Not.Empty);
        Assert.That(tasks.PolicyRequests.Single().Method, Is.EqualTo("FetchWITSVID"));
        Assert.That(tasks.PolicyRequests.Single().SpiffeId, Is.EqualTo("spiffe://example.org/task/t1"));
        var issue = tasks.AuditEntries.Single(e => e.Kind == AuditEntryKind.Issue);
        Assert.That(issue.Jti, Is.EqualTo(identity.Credential.Svid.Jti));
        Assert.That(issue.SpiffeId, Is.EqualTo("spiffe://example.org/task/t1"));
        Assert.That(issue.Policies!.Single().Name, Is.EqualTo("p"));
    }

    private static async Task<WITSVIDResponse> NextAsync(AsyncServerStreamingCall<WITSVIDResponse> call)
    {
        Assert.That(await call.ResponseStream.MoveNext().DefaultTimeout(), Is.True);
        return call.ResponseStream.Current;
    }
}
