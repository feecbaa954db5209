using Spiffe.WorkloadApi.Tests.Infrastructure;
using static Spiffe.WorkloadApi.Tests.Infrastructure.TestIdentities;

namespace Spiffe.WorkloadApi.Tests.Sources;

[TestFixture]
public sealed class BundleSourceTests
{
    private FakeWorkloadApi fake = null!;

    [SetUp]
    public async Task StartAsync() => this.fake = await FakeWorkloadApi.StartAsync();

    [TearDown]
    public async Task StopAsync()
    {
        var rejected = this.fake.RejectedCalls;
        await this.fake.DisposeAsync();
        Assert.That(rejected, Is.Zero, "calls without the workload.spiffe.io header");
    }

    [Test]
    public async Task CreateAsync_OnlyX509BundlesYet_WaitsForJwtBundles()
    {
        // Arrange
        this.fake.X509Bundles.Set(Messages.X509Bundles(Ca, FederatedCa));
        var creating = BundleSource.CreateAsync(this.Options());
        await FakeWorkloadApi.WaitUntilAsync(() => this.fake.X509Bundles.StreamCount == 1 && this.fake.JwtBundles.StreamCount == 1);
        var waitedForJwt = !creating.IsCompleted;

        // Act
        this.fake.JwtBundles.Set(Messages.JwtBundles(Signer.CreateJwtBundle()));
        await using var source = await creating.DefaultTimeout();

        // Assert
        Assert.That(waitedForJwt, Is.True);
        Assert.That(source.GetX509BundleForTrustDomain(FederatedDomain).X509Authorities[0].RawData, Is.EqualTo(FederatedCa.RootCertificate.RawData));
        Assert.That(source.GetJwtBundleForTrustDomain(Domain).JwtAuthorities.Keys, Is.EqualTo(new[] { "key-1" }));
    }

    [Test]
    public async Task Updated_X509BundleChange_Raised()
    {
        // Arrange
        this.fake.X509Bundles.Set(Messages.X509Bundles(Ca));
        this.fake.JwtBundles.Set(Messages.JwtBundles(Signer.CreateJwtBundle()));
        await using var source = await BundleSource.CreateAsync(this.Options()).DefaultTimeout();
        var updated = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        source.Updated += (_, _) => updated.TrySetResult();

        // Act
        this.fake.X509Bundles.Set(Messages.X509Bundles(Ca, FederatedCa));
        await updated.Task.DefaultTimeout();

        // Assert
        Assert.That(source.GetX509BundleForTrustDomain(FederatedDomain).TrustDomain, Is.EqualTo(FederatedDomain));
    }

    [Test]
    public async Task DisposeAsync_Getters_ThrowObjectDisposedAndBothWatchesEnd()
    {
        // Arrange
        this.fake.X509Bundles.Set(Messages.X509Bundles(Ca));
        this.fake.JwtBundles.Set(Messages.JwtBundles(Signer.CreateJwtBundle()));
        var source = await BundleSource.CreateAsync(this.Options()).DefaultTimeout();

        // Act
        await source.DisposeAsync().DefaultTimeout();

        // Assert
        Assert.Throws<ObjectDisposedException>(() => source.GetX509BundleForTrustDomain(Domain));
        Assert.Throws<ObjectDisposedException>(() => source.GetJwtBundleForTrustDomain(Domain));
        await FakeWorkloadApi.WaitUntilAsync(() => this.fake.X509Bundles.OpenCount == 0 && this.fake.JwtBundles.OpenCount == 0);
    }

    private WorkloadApiSourceOptions Options() => new() { ClientOptions = new WorkloadApiClientOptions { Address = this.fake.Address } };
}
