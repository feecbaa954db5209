using Grpc.Core;
using Spiffe.Core;
using Spiffe.WorkloadApi.Proto;
using Spiffe.WorkloadApi.Tests.Infrastructure;
using static Spiffe.WorkloadApi.Tests.Infrastructure.TestIdentities;

namespace Spiffe.WorkloadApi.Tests.Sources;

[TestFixture]
public sealed class X509SourceTests
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
    public async Task CreateAsync_FirstUpdate_ServesSvidAndBundles()
    {
        // Arrange
        var response = Response((Web, ""));
        response.FederatedBundles.Add(FederatedDomain.IdString, Google.Protobuf.ByteString.CopyFrom(FederatedCa.RootCertificate.RawData));
        this.fake.X509Svids.Set(response);

        // Act
        await using var source = await X509Source.CreateAsync(this.Options()).DefaultTimeout();

        // Assert
        Assert.That(source.GetX509Svid().Id, Is.EqualTo(Web));
        Assert.That(source.GetX509BundleForTrustDomain(Domain).X509Authorities[0].RawData, Is.EqualTo(Ca.RootCertificate.RawData));
        Assert.That(source.GetX509BundleForTrustDomain(FederatedDomain).TrustDomain, Is.EqualTo(FederatedDomain));
        Assert.Throws<BundleNotFoundException>(() => source.GetX509BundleForTrustDomain(TrustDomain.Parse("unknown.test")));
    }

    [Test]
    public async Task GetX509Svid_HotPath_ReturnsCachedInstanceWithoutAllocating()
    {
        // Arrange
        this.fake.X509Svids.Set(Response((Web, "")));
        await using var source = await X509Source.CreateAsync(this.Options()).DefaultTimeout();
        var first = source.GetX509Svid();

        // Act
        var before = GC.GetAllocatedBytesForCurrentThread();
        X509Svid? last = null;
        for (var i = 0; i < 1000; i++)
        {
            last = source.GetX509Svid();
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // Assert
        Assert.That(last, Is.SameAs(first));
        Assert.That(allocated, Is.Zero);
    }

    [Test]
    public async Task Updated_Rotation_RaisedAfterNewSvidIsServed()
    {
        // Arrange
        this.fake.X509Svids.Set(Response((Web, "")));
        await using var source = await X509Source.CreateAsync(this.Options()).DefaultTimeout();
        var old = source.GetX509Svid();
        var seen = new TaskCompletionSource<X509Svid>(TaskCreationOptions.RunContinuationsAsynchronously);
        source.Updated += (sender, _) => seen.TrySetResult(((X509Source)sender!).GetX509Svid());
        var rotated = Ca.IssueX509Svid(Web);

        // Act
        this.fake.X509Svids.Set(Messages.X509SvidResponse(Messages.X509Svid(Web, rotated, Ca)));
        var served = await seen.Task.DefaultTimeout();

        // Assert
        Assert.That(served, Is.Not.SameAs(old));
        Assert.That(served.Certificates[0].RawData, Is.EqualTo(rotated.Leaf.RawData));
        Assert.That(source.GetX509Svid(), Is.SameAs(served));
    }

    [Test]
    public async Task Updated_HandlerThrows_LaterUpdatesStillApplied()
    {
        // Arrange
        this.fake.X509Svids.Set(Response((Web, "")));
        await using var source = await X509Source.CreateAsync(this.Options()).DefaultTimeout();
        var updates = 0;
        var second = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        source.Updated += (_, _) => throw new InvalidOperationException("handler bug");
        source.Updated += (_, _) =>
        {
            if (Interlocked.Increment(ref updates) == 2)
            {
                second.TrySetResult();
            }
        };

        // Act
        this.fake.X509Svids.Set(Response((Db, "")));
        this.fake.X509Svids.Set(Response((Web, "")));
        await second.Task.DefaultTimeout();

        // Assert
        Assert.That(source.GetX509Svid().Id, Is.EqualTo(Web));
    }

    [Test]
    public async Task CreateAsync_PickerByHint_ServesHintedSvid()
    {
        // Arrange
        this.fake.X509Svids.Set(Response((Web, "front"), (Db, "back")));
        var options = this.Options();
        options.SvidPicker = X509SvidPickers.ByHint("back");

        // Act
        await using var source = await X509Source.CreateAsync(options).DefaultTimeout();

        // Assert
        Assert.That(source.GetX509Svid().Id, Is.EqualTo(Db));
        Assert.That(source.GetX509Svid().Hint, Is.EqualTo("back"));
    }

    [Test]
    public async Task CreateAsync_PickerById_ServesThatId()
    {
        // Arrange
        this.fake.X509Svids.Set(Response((Web, ""), (Db, "")));
        var options = this.Options();
        options.SvidPicker = X509SvidPickers.ById(Db);

        // Act
        await using var source = await X509Source.CreateAsync(options).DefaultTimeout();

        // Assert
        Assert.That(source.GetX509Svid().Id, Is.EqualTo(Db));
    }

    [Test]
    public async Task Update_PickerFindsNothing_KeepsPreviousSvid()
    {
        // Arrange
        this.fake.X509Svids.Set(Response((Web, "front")));
        var options = this.Options();
        options.SvidPicker = X509SvidPickers.ByHint("front");
        await using var source = await X509Source.CreateAsync(options).DefaultTimeout();
        var before = source.GetX509Svid();
        var ids = new List<SpiffeId>();
        var next = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        source.Updated += (_, _) =>
        {
            ids.Add(source.GetX509Svid().Id);
            next.TrySetResult();
        };

        // Act
        this.fake.X509Svids.Set(Response((Db, "back")));
        this.fake.X509Svids.Set(Response((Web, "front")));
        await next.Task.DefaultTimeout();

        // Assert
        Assert.That(ids, Is.EqualTo(new[] { Web }));
        Assert.That(source.GetX509Svid(), Is.Not.SameAs(before));
    }

    [Test]
    public void CreateAsync_EndpointUnavailable_CancelledWithLastError()
    {
        // Arrange
        this.fake.X509Svids.Fail(StatusCode.Unavailable, "agent is starting");
        using var timeout = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        // Act
        var exception = Assert.CatchAsync<OperationCanceledException>(() => X509Source.CreateAsync(this.Options(), timeout.Token).DefaultTimeout());

        // Assert
        Assert.That(exception.Message, Does.Contain("cancelled before the first update"));
        Assert.That(exception.Message, Does.Contain("agent is starting"));
        Assert.That(exception.InnerException, Is.TypeOf<WorkloadApiException>());
    }

    [Test]
    public void CreateAsync_InvalidArgument_FailsWithoutWaiting()
    {
        // Arrange
        this.fake.X509Svids.Fail(StatusCode.InvalidArgument, "security header missing from request");

        // Act
        var exception = Assert.ThrowsAsync<WorkloadApiException>(() => X509Source.CreateAsync(this.Options()).DefaultTimeout());

        // Assert
        Assert.That(exception.StatusCode, Is.EqualTo(StatusCode.InvalidArgument));
    }

    [Test]
    public async Task DisposeAsync_Getters_ThrowObjectDisposedAndWatchEnds()
    {
        // Arrange
        this.fake.X509Svids.Set(Response((Web, "")));
        var source = await X509Source.CreateAsync(this.Options()).DefaultTimeout();

        // Act
        await source.DisposeAsync().DefaultTimeout();

        // Assert
        Assert.Throws<ObjectDisposedException>(() => source.GetX509Svid());
        Assert.Throws<ObjectDisposedException>(() => source.GetX509BundleForTrustDomain(Domain));
        await FakeWorkloadApi.WaitUntilAsync(() => this.fake.X509Svids.OpenCount == 0);
        Assert.DoesNotThrowAsync(() => source.DisposeAsync().AsTask());
    }

    [Test]
    public async Task DisposeAsync_SharedClient_LeavesClientUsable()
    {
        // Arrange
        this.fake.X509Svids.Set(Response((Web, "")));
        await using var client = WorkloadApiClient.Create(new WorkloadApiClientOptions { Address = this.fake.Address });
        var source = await X509Source.CreateAsync(new X509SourceOptions { Client = client }).DefaultTimeout();

        // Act
        await source.DisposeAsync().DefaultTimeout();
        var svid = await client.FetchX509SvidAsync().DefaultTimeout();

        // Assert
        Assert.That(svid.Id, Is.EqualTo(Web));
    }

    private static X509SVIDResponse Response(params (SpiffeId Id, string Hint)[] svids) =>
        Messages.X509SvidResponse([.. svids.Select(s => Messages.X509Svid(s.Id, Ca.IssueX509Svid(s.Id), Ca, s.Hint))]);

    private X509SourceOptions Options() => new() { ClientOptions = new WorkloadApiClientOptions { Address = this.fake.Address } };
}
