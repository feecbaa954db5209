using Spiffe.Core;
using Spiffe.Testing;
using Spiffe.WorkloadApi.Tests.Infrastructure;
using static Spiffe.WorkloadApi.Tests.Infrastructure.TestIdentities;

namespace Spiffe.WorkloadApi.Tests.Sources;

[TestFixture]
public sealed class JwtSourceTests
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
    public async Task CreateAsync_FirstBundles_ServesThemAndValidatesTokens()
    {
        // Arrange
        this.fake.JwtBundles.Set(Messages.JwtBundles(Signer.CreateJwtBundle()));

        // Act
        await using var source = await JwtSource.CreateAsync(this.Options()).DefaultTimeout();
        var svid = JwtSvid.ParseAndValidate(Token(Web, "api"), source, ["api"], TimeProvider.System.GetUtcNow());

        // Assert
        Assert.That(source.GetJwtBundleForTrustDomain(Domain).JwtAuthorities.Keys, Is.EqualTo(new[] { "key-1" }));
        Assert.That(svid.Id, Is.EqualTo(Web));
    }

    [Test]
    public async Task Updated_KeyRotation_ServesNewBundle()
    {
        // Arrange
        this.fake.JwtBundles.Set(Messages.JwtBundles(Signer.CreateJwtBundle()));
        await using var source = await JwtSource.CreateAsync(this.Options()).DefaultTimeout();
        var updated = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        source.Updated += (_, _) => updated.TrySetResult();
        var next = new TestJwtSigner(Domain, "key-2");

        // Act
        this.fake.JwtBundles.Set(Messages.JwtBundles(next.CreateJwtBundle()));
        await updated.Task.DefaultTimeout();

        // Assert
        Assert.That(source.GetJwtBundleForTrustDomain(Domain).JwtAuthorities.Keys, Is.EqualTo(new[] { "key-2" }));
    }

    [Test]
    public async Task FetchJwtSvidAsync_Delegates_ReturnsSvidFromEndpoint()
    {
        // Arrange
        this.fake.JwtBundles.Set(Messages.JwtBundles(Signer.CreateJwtBundle()));
        this.fake.JwtSvidHandler = request => Messages.JwtSvids((Web, Token(Web, [.. request.Audience]), string.Empty));
        await using var source = await JwtSource.CreateAsync(this.Options()).DefaultTimeout();

        // Act
        var one = await source.FetchJwtSvidAsync("api", ["extra"]).DefaultTimeout();
        var all = await source.FetchJwtSvidsAsync("api").DefaultTimeout();

        // Assert
        Assert.That(one.Audience, Is.EqualTo(new[] { "api", "extra" }));
        Assert.That(all.Select(s => s.Id), Is.EqualTo(new[] { Web }));
    }

    [Test]
    public async Task DisposeAsync_Getters_ThrowObjectDisposed()
    {
        // Arrange
        this.fake.JwtBundles.Set(Messages.JwtBundles(Signer.CreateJwtBundle()));
        var source = await JwtSource.CreateAsync(this.Options()).DefaultTimeout();

        // Act
        await source.DisposeAsync().DefaultTimeout();

        // Assert
        Assert.Throws<ObjectDisposedException>(() => source.GetJwtBundleForTrustDomain(Domain));
        Assert.Throws<ObjectDisposedException>(() => source.FetchJwtSvidAsync("api"));
        await FakeWorkloadApi.WaitUntilAsync(() => this.fake.JwtBundles.OpenCount == 0);
    }

    private WorkloadApiSourceOptions Options() => new() { ClientOptions = new WorkloadApiClientOptions { Address = this.fake.Address } };
}
