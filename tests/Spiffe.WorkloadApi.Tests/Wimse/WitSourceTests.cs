using Grpc.Core;
using Spiffe.Core;
using Spiffe.WorkloadApi.Tests.Infrastructure;

namespace Spiffe.WorkloadApi.Tests.Wimse;

[TestFixture]
public sealed class WitSourceTests
{
    private FakeWitAgent agent = null!;

    [SetUp]
    public async Task StartAsync() => this.agent = await FakeWitAgent.StartAsync();

    [TearDown]
    public async Task StopAsync()
    {
        var rejected = this.agent.RejectedCalls;
        await this.agent.DisposeAsync();
        Assert.That(rejected, Is.Zero, "calls without the workload.spiffe.io header");
    }

    [Test]
    public async Task CreateAsync_FirstUpdates_ServesWitAndBundles()
    {
        // Arrange
        this.agent.WitSvids.Set(this.agent.WitResponse());
        this.agent.WitBundles.Set(this.agent.BundlesResponse());

        // Act
        await using var source = await WitSource.CreateAsync(this.Options()).DefaultTimeout();

        // Assert
        Assert.That(source.GetWitSvid().Svid.Token, Is.EqualTo(this.agent.Wit.Token));
        Assert.That(source.GetWitBundleForTrustDomain(TestIdentities.Domain).WitAuthorities.Keys, Is.EqualTo(new[] { "wit-1" }));
        Assert.Throws<BundleNotFoundException>(() => source.GetWitBundleForTrustDomain(TestIdentities.FederatedDomain));
    }

    [Test]
    public async Task CreateAsync_OnlyWitArrived_WaitsForTheBundles()
    {
        // Arrange
        this.agent.WitSvids.Set(this.agent.WitResponse());
        var creating = WitSource.CreateAsync(this.Options());
        await FakeWorkloadApi.WaitUntilAsync(() => this.agent.WitBundles.OpenCount == 1 && this.agent.WitSvids.OpenCount == 1);
        var wasWaiting = !creating.IsCompleted;

        // Act
        this.agent.WitBundles.Set(this.agent.BundlesResponse());
        await using var source = await creating.DefaultTimeout();

        // Assert
        Assert.That(wasWaiting, Is.True);
        Assert.That(source.GetWitSvid().Id, Is.EqualTo(TestIdentities.Web));
    }

    [Test]
    public async Task Updated_WitRotated_NewWitServed()
    {
        // Arrange
        this.agent.WitSvids.Set(this.agent.WitResponse());
        this.agent.WitBundles.Set(this.agent.BundlesResponse());
        await using var source = await WitSource.CreateAsync(this.Options()).DefaultTimeout();
        var updated = new TaskCompletionSource();
        source.Updated += (_, _) => updated.TrySetResult();
        var rotated = this.agent.Issuer.Issue(TestIdentities.Web, TimeProvider.System.GetUtcNow());

        // Act
        this.agent.WitSvids.Set(FakeWitAgent.Response((rotated, false, string.Empty)));
        await updated.Task.DefaultTimeout();

        // Assert
        Assert.That(source.GetWitSvid().Svid.Token, Is.EqualTo(rotated.Token));
        Assert.That(source.GetWitSvid().IsKeyExportable, Is.False);
    }

    [Test]
    public async Task SvidPicker_ChoosesAmongIdentities()
    {
        // Arrange
        var db = this.agent.Issuer.Issue(TestIdentities.Db, TimeProvider.System.GetUtcNow());
        this.agent.WitSvids.Set(FakeWitAgent.Response((this.agent.Wit, true, string.Empty), (db, true, "db")));
        this.agent.WitBundles.Set(this.agent.BundlesResponse());
        var options = this.Options();
        options.SvidPicker = svids => svids.FirstOrDefault(s => s.Hint == "db");

        // Act
        await using var source = await WitSource.CreateAsync(options).DefaultTimeout();

        // Assert
        Assert.That(source.GetWitSvid().Id, Is.EqualTo(TestIdentities.Db));
    }

    [Test]
    public void CreateAsync_AgentWithoutWit_FailsAtOnce()
    {
        // Arrange
        this.agent.WitSvids.Fail(StatusCode.Unimplemented, "WIT-SVIDs are not enabled");
        this.agent.WitBundles.Fail(StatusCode.Unimplemented, "WIT-SVIDs are not enabled");

        // Act
        var ex = Assert.ThrowsAsync<WorkloadApiException>(() => WitSource.CreateAsync(this.Options()).DefaultTimeout());

        // Assert
        Assert.That(ex!.StatusCode, Is.EqualTo(StatusCode.Unimplemented));
    }

    [Test]
    public async Task Source_AsBundleSourceOfTheVerifier_AcceptsAProofMadeWithTheWitKey()
    {
        // Arrange
        this.agent.WitSvids.Set(this.agent.WitResponse());
        this.agent.WitBundles.Set(this.agent.BundlesResponse());
        await using var source = await WitSource.CreateAsync(this.Options()).DefaultTimeout();
        var credential = source.GetWitSvid();
        var provider = new LocalWorkloadProofProvider(credential.Svid, credential.PrivateKey!);
        var proof = await provider.CreateProofAsync(new WorkloadProofRequest { TargetUri = "https://tool.example/items", Method = "GET" }, CancellationToken.None);

        // Act
        var result = new WorkloadProofVerifier(source, new InMemoryWptReplayCache())
            .Verify(proof.Wit, proof.Proof, new WorkloadProofContext { Audience = "https://tool.example/items" }, TimeProvider.System.GetUtcNow());

        // Assert
        Assert.That(result.Id, Is.EqualTo(TestIdentities.Web));
    }

    [Test]
    public async Task GetWitSvid_Disposed_Throws()
    {
        // Arrange
        this.agent.WitSvids.Set(this.agent.WitResponse());
        this.agent.WitBundles.Set(this.agent.BundlesResponse());
        var source = await WitSource.CreateAsync(this.Options()).DefaultTimeout();

        // Act
        await source.DisposeAsync();

        // Assert
        Assert.Throws<ObjectDisposedException>(() => source.GetWitSvid());
        Assert.Throws<ObjectDisposedException>(() => source.GetWitBundleForTrustDomain(TestIdentities.Domain));
    }

    private WitSourceOptions Options() => new() { ClientOptions = new WorkloadApiClientOptions { Address = this.agent.Address } };
}
