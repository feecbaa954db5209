using Grpc.Core;
using Spiffe.Core;
using Spiffe.WorkloadApi.Proto;
using Spiffe.WorkloadApi.Tests.Infrastructure;

namespace Spiffe.WorkloadApi.Tests.Wimse;

[TestFixture]
public sealed class WitClientTests
{
    private FakeWitAgent agent = null!;
    private WorkloadApiClient client = null!;

    [SetUp]
    public async Task StartAsync()
    {
        this.agent = await FakeWitAgent.StartAsync();
        this.client = WorkloadApiClient.Create(new WorkloadApiClientOptions { Address = this.agent.Address });
    }

    [TearDown]
    public async Task StopAsync()
    {
        await this.client.DisposeAsync();
        var rejected = this.agent.RejectedCalls;
        await this.agent.DisposeAsync();
        Assert.That(rejected, Is.Zero, "calls without the workload.spiffe.io header");
    }

    [Test]
    public async Task FetchWitSvidAsync_KeyPresent_WitAndItsKey()
    {
        // Arrange
        this.agent.WitSvids.Set(this.agent.WitResponse(hint: "primary"));

        // Act
        var credential = await this.client.FetchWitSvidAsync().DefaultTimeout();

        // Assert
        Assert.That(credential.Id, Is.EqualTo(TestIdentities.Web));
        Assert.That(credential.Svid.Token, Is.EqualTo(this.agent.Wit.Token));
        Assert.That(credential.Hint, Is.EqualTo("primary"));
        Assert.That(credential.IsKeyExportable, Is.True);
        Assert.That(credential.Svid.ConfirmationKey.Matches(credential.PrivateKey!), Is.True);
    }

    [Test]
    public async Task FetchWitSvidAsync_KeyAbsent_MarkedNotExportable()
    {
        // Arrange
        this.agent.WitSvids.Set(this.agent.WitResponse(withKey: false));

        // Act
        var credential = await this.client.FetchWitSvidAsync().DefaultTimeout();

        // Assert
        Assert.That(credential.IsKeyExportable, Is.False);
        Assert.That(credential.PrivateKey, Is.Null);
        Assert.That(credential.Svid.Token, Is.EqualTo(this.agent.Wit.Token));
    }

    [Test]
    public async Task FetchWitSvidAsync_Subject_SentAsSpiffeId()
    {
        // Arrange
        this.agent.WitSvids.Set(this.agent.WitResponse());

        // Act
        await this.client.FetchWitSvidAsync(TestIdentities.Web).DefaultTimeout();

        // Assert
        Assert.That(this.agent.WitSvidRequests.Single().SpiffeId, Is.EqualTo("spiffe://example.org/web"));
    }

    [Test]
    public async Task FetchWitSvidsAsync_RepeatedHint_FirstKept()
    {
        // Arrange
        var other = this.agent.Issuer.Issue(TestIdentities.Db, TimeProvider.System.GetUtcNow());
        var third = this.agent.Issuer.Issue(SpiffeId.Parse("spiffe://example.org/batch"), TimeProvider.System.GetUtcNow());
        this.agent.WitSvids.Set(FakeWitAgent.Response((this.agent.Wit, true, "a"), (other, true, "a"), (third, false, "b")));

        // Act
        var credentials = await this.client.FetchWitSvidsAsync().DefaultTimeout();

        // Assert
        Assert.That(credentials.Select(c => c.Id.ToString()), Is.EqualTo(new[] { "spiffe://example.org/web", "spiffe://example.org/batch" }));
    }

    [Test]
    public void FetchWitSvidAsync_KeyOfAnotherWit_WorkloadApiException()
    {
        // Arrange
        var other = this.agent.Issuer.Issue(TestIdentities.Web, TimeProvider.System.GetUtcNow());
        var response = this.agent.WitResponse();
        response.Svids[0].WitSvidKey = WitSvid.ExportPrivateKey(other.Key, other.Algorithm);
        this.agent.WitSvids.Set(response);

        // Act
        var ex = Assert.ThrowsAsync<WorkloadApiException>(() => this.client.FetchWitSvidAsync().DefaultTimeout());

        // Assert
        Assert.That(ex!.Message, Does.Contain("not the key of the WIT's cnf.jwk"));
    }

    [Test]
    public void FetchWitSvidAsync_SpiffeIdDiffersFromSub_WorkloadApiException()
    {
        // Arrange
        var response = this.agent.WitResponse();
        response.Svids[0].SpiffeId = "spiffe://example.org/db";
        this.agent.WitSvids.Set(response);

        // Act
        var ex = Assert.ThrowsAsync<WorkloadApiException>(() => this.client.FetchWitSvidAsync().DefaultTimeout());

        // Assert
        Assert.That(ex!.Message, Does.Contain("differs from the token's sub"));
    }

    [Test]
    public void FetchWitSvidAsync_NotAWit_WorkloadApiException()
    {
        // Arrange
        var response = this.agent.WitResponse();
        response.Svids[0].WitSvid = TestIdentities.Token(TestIdentities.Web, "aud");
        this.agent.WitSvids.Set(response);

        // Act
        var ex = Assert.ThrowsAsync<WorkloadApiException>(() => this.client.FetchWitSvidAsync().DefaultTimeout());

        // Assert
        Assert.That(ex!.StatusCode, Is.Null);
        Assert.That(ex.Message, Does.StartWith("invalid WIT-SVID response: SVID 0"));
    }

    [Test]
    public void FetchWitSvidAsync_AgentWithoutWit_WorkloadApiExceptionUnimplemented()
    {
        // Arrange
        this.agent.WitSvids.Fail(StatusCode.Unimplemented, "WIT-SVIDs are not enabled");

        // Act
        var ex = Assert.ThrowsAsync<WorkloadApiException>(() => this.client.FetchWitSvidAsync().DefaultTimeout());

        // Assert
        Assert.That(ex!.StatusCode, Is.EqualTo(StatusCode.Unimplemented));
    }

    [Test]
    public async Task FetchWitBundlesAsync_Jwks_BundleByTrustDomain()
    {
        // Arrange
        this.agent.WitBundles.Set(this.agent.BundlesResponse());

        // Act
        var bundles = await this.client.FetchWitBundlesAsync().DefaultTimeout();

        // Assert
        var bundle = bundles.GetWitBundleForTrustDomain(TestIdentities.Domain);
        Assert.That(bundle.WitAuthorities.Keys, Is.EqualTo(new[] { "wit-1" }));
        Assert.That(WitSvid.ParseAndValidate(this.agent.Wit.Token, bundles, TimeProvider.System.GetUtcNow()).Id, Is.EqualTo(TestIdentities.Web));
    }

    [Test]
    public void FetchWitBundlesAsync_KeyWithOtherUse_WorkloadApiException()
    {
        // Arrange
        var response = new WITBundlesResponse();
        response.Bundles[TestIdentities.Domain.IdString] = System.Text.Encoding.UTF8.GetString(this.agent.Issuer.CreateWitBundle().Marshal()).Replace("wit-svid", "jwt-svid", StringComparison.Ordinal);
        this.agent.WitBundles.Set(response);

        // Act
        var ex = Assert.ThrowsAsync<WorkloadApiException>(() => this.client.FetchWitBundlesAsync().DefaultTimeout());

        // Assert
        Assert.That(ex!.Message, Does.StartWith("invalid WIT bundles response"));
    }

    [Test]
    public async Task WatchWitSvidsAsync_Rotation_EachStateReported()
    {
        // Arrange
        this.agent.WitSvids.Set(this.agent.WitResponse());
        var rotated = this.agent.Issuer.Issue(TestIdentities.Web, TimeProvider.System.GetUtcNow());
        var updates = new List<IReadOnlyList<WitSvidCredential>>();
        using var cancellation = new CancellationTokenSource();
        var second = new TaskCompletionSource();
        var watch = this.client.WatchWitSvidsAsync(
            update =>
            {
                lock (updates)
                {
                    updates.Add(update);
                    if (updates.Count == 2)
                    {
                        second.TrySetResult();
                    }
                }
            },
            cancellationToken: cancellation.Token);
        await FakeWorkloadApi.WaitUntilAsync(() => this.agent.WitSvids.OpenCount == 1);

        // Act
        this.agent.WitSvids.Set(FakeWitAgent.Response((rotated, true, string.Empty)));
        await second.Task.DefaultTimeout();
        await cancellation.CancelAsync();

        // Assert
        Assert.That(() => watch.DefaultTimeout(), Throws.InstanceOf<OperationCanceledException>());
        Assert.That(updates.Select(u => u.Single().Svid.Token), Is.EqualTo(new[] { this.agent.Wit.Token, rotated.Token }));
    }

    [Test]
    public void WatchWitBundlesAsync_AgentWithoutWit_StopsWithUnimplemented()
    {
        // Arrange
        this.agent.WitBundles.Fail(StatusCode.Unimplemented, "WIT-SVIDs are not enabled");
        var errors = new List<Exception>();

        // Act
        var ex = Assert.ThrowsAsync<WorkloadApiException>(() => this.client.WatchWitBundlesAsync(_ => { }, errors.Add).DefaultTimeout());

        // Assert
        Assert.That(ex!.StatusCode, Is.EqualTo(StatusCode.Unimplemented));
        Assert.That(this.agent.WitBundles.StreamCount, Is.EqualTo(1), "no retry");
        Assert.That(errors, Has.Count.EqualTo(1));
    }
}
