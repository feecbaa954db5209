using System.Threading.Channels;
using Grpc.Core;
using Spiffe.Core;
using Spiffe.WorkloadApi.Proto;
using Spiffe.WorkloadApi.Tests.Infrastructure;
using static Spiffe.WorkloadApi.Tests.Infrastructure.TestIdentities;

namespace Spiffe.WorkloadApi.Tests.Client;

[TestFixture]
public sealed class WorkloadApiClientWatchTests
{
    private FakeWorkloadApi fake = null!;
    private RecordingTimeProvider time = null!;
    private WorkloadApiClient client = null!;
    private CancellationTokenSource stop = null!;
    private Channel<X509Context> updates = null!;
    private Channel<Exception> errors = null!;

    [SetUp]
    public async Task StartAsync()
    {
        this.fake = await FakeWorkloadApi.StartAsync();
        this.time = new RecordingTimeProvider();
        this.client = WorkloadApiClient.Create(new WorkloadApiClientOptions { Address = this.fake.Address, TimeProvider = this.time });
        this.stop = new CancellationTokenSource();
        this.updates = Channel.CreateUnbounded<X509Context>();
        this.errors = Channel.CreateUnbounded<Exception>();
    }

    [TearDown]
    public async Task StopAsync()
    {
        await this.stop.CancelAsync();
        this.stop.Dispose();
        await this.client.DisposeAsync();
        var rejected = this.fake.RejectedCalls;
        await this.fake.DisposeAsync();
        Assert.That(rejected, Is.Zero, "calls without the workload.spiffe.io header");
    }

    [Test]
    public async Task WatchX509ContextAsync_Rotation_DeliversEachStateInOrder()
    {
        // Arrange
        this.fake.X509Svids.Set(Response(Web));
        var watch = this.StartX509Watch();

        // Act
        var first = await this.NextUpdateAsync();
        this.fake.X509Svids.Set(Response(Db));
        var second = await this.NextUpdateAsync();
        await this.stop.CancelAsync();

        // Assert
        Assert.That(first.DefaultSvid.Id, Is.EqualTo(Web));
        Assert.That(second.DefaultSvid.Id, Is.EqualTo(Db));
        Assert.That(this.fake.X509Svids.StreamCount, Is.EqualTo(1));
        Assert.ThrowsAsync(Is.InstanceOf<OperationCanceledException>(), () => watch.DefaultTimeout());
    }

    [Test]
    public async Task WatchX509ContextAsync_Unavailable_RetriesWithLinearBackoffThenResetsAfterMessage()
    {
        // Arrange
        this.fake.X509Svids.Fail(StatusCode.Unavailable, "agent is starting");
        _ = this.StartX509Watch();
        var delays = new List<TimeSpan>();

        // Act
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var delay = await this.time.NextDelayAsync();
            delays.Add(delay);
            if (attempt < 2)
            {
                this.time.Advance(delay);
            }
        }

        this.fake.X509Svids.Set(Response(Web));
        this.time.Advance(delays[^1]);
        var update = await this.NextUpdateAsync();
        this.fake.X509Svids.Fail(StatusCode.Unavailable, "agent restarting");
        var afterMessage = await this.time.NextDelayAsync();

        // Assert
        Assert.That(delays, Is.EqualTo(new[] { TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(3) }));
        Assert.That(update.DefaultSvid.Id, Is.EqualTo(Web));
        Assert.That(afterMessage, Is.EqualTo(TimeSpan.FromSeconds(1)));
        Assert.That(this.fake.X509Svids.StreamCount, Is.EqualTo(4));
        var error = (WorkloadApiException)await this.errors.Reader.ReadAsync().AsTask().DefaultTimeout();
        Assert.That(error.StatusCode, Is.EqualTo(StatusCode.Unavailable));
    }

    [Test]
    public async Task WatchX509ContextAsync_ManyFailures_DelayCappedAtThirtySeconds()
    {
        // Arrange
        this.fake.X509Svids.Fail(StatusCode.PermissionDenied, "no identity issued");
        _ = this.StartX509Watch();
        var delays = new List<TimeSpan>();

        // Act
        for (var attempt = 0; attempt < 33; attempt++)
        {
            var delay = await this.time.NextDelayAsync();
            delays.Add(delay);
            this.time.Advance(delay);
        }

        // Assert
        Assert.That(delays.Take(30), Is.EqualTo(Enumerable.Range(1, 30).Select(s => TimeSpan.FromSeconds(s))));
        Assert.That(delays.Skip(30), Is.All.EqualTo(TimeSpan.FromSeconds(30)));
    }

    [Test]
    public async Task WatchX509ContextAsync_InvalidArgument_StopsWithoutRetrying()
    {
        // Arrange
        this.fake.X509Svids.Fail(StatusCode.InvalidArgument, "security header missing from request");

        // Act
        var exception = Assert.ThrowsAsync<WorkloadApiException>(() => this.StartX509Watch().DefaultTimeout());

        // Assert
        Assert.That(exception.StatusCode, Is.EqualTo(StatusCode.InvalidArgument));
        Assert.That(this.time.HasPendingDelay, Is.False);
        Assert.That(this.fake.X509Svids.StreamCount, Is.EqualTo(1));
        Assert.That(await this.errors.Reader.ReadAsync().AsTask().DefaultTimeout(), Is.SameAs(exception));
    }

    [Test]
    public async Task WatchX509ContextAsync_ServerEndsStream_Reconnects()
    {
        // Arrange
        this.fake.X509Svids.Set(Response(Web));
        _ = this.StartX509Watch();
        await this.NextUpdateAsync();

        // Act
        this.fake.X509Svids.EndStreams();
        var delay = await this.time.NextDelayAsync();
        this.time.Advance(delay);
        var again = await this.NextUpdateAsync();

        // Assert
        Assert.That(delay, Is.EqualTo(TimeSpan.FromSeconds(1)));
        Assert.That(again.DefaultSvid.Id, Is.EqualTo(Web));
        Assert.That(this.fake.X509Svids.StreamCount, Is.EqualTo(2));
        var error = await this.errors.Reader.ReadAsync().AsTask().DefaultTimeout();
        Assert.That(error.Message, Does.Contain("ended the X509-SVID stream"));
    }

    [Test]
    public async Task WatchX509ContextAsync_InvalidMessage_ReportsErrorAndKeepsStreamOpen()
    {
        // Arrange
        this.fake.X509Svids.Set(Response(Web));
        _ = this.StartX509Watch();
        await this.NextUpdateAsync();

        // Act
        this.fake.X509Svids.Set(new X509SVIDResponse());
        var error = await this.errors.Reader.ReadAsync().AsTask().DefaultTimeout();
        this.fake.X509Svids.Set(Response(Db));
        var next = await this.NextUpdateAsync();

        // Assert
        Assert.That(error.Message, Does.Contain("holds no SVIDs"));
        Assert.That(next.DefaultSvid.Id, Is.EqualTo(Db));
        Assert.That(this.fake.X509Svids.StreamCount, Is.EqualTo(1));
        Assert.That(this.time.HasPendingDelay, Is.False);
    }

    [Test]
    public async Task WatchX509ContextAsync_CancelledDuringBackoff_ThrowsOperationCanceled()
    {
        // Arrange
        this.fake.X509Svids.Fail(StatusCode.Unavailable, "down");
        var watch = this.StartX509Watch();
        await this.time.NextDelayAsync();

        // Act
        await this.stop.CancelAsync();

        // Assert
        Assert.ThrowsAsync(Is.InstanceOf<OperationCanceledException>(), () => watch.DefaultTimeout());
    }

    [Test]
    public async Task WatchX509BundlesAsync_Watcher_ReceivesEachSet()
    {
        // Arrange
        var watcher = new BundlesWatcher();
        this.fake.X509Bundles.Set(Messages.X509Bundles(Ca));
        _ = this.client.WatchX509BundlesAsync(watcher, this.stop.Token);

        // Act
        var first = await watcher.X509.Reader.ReadAsync().AsTask().DefaultTimeout();
        this.fake.X509Bundles.Set(Messages.X509Bundles(Ca, FederatedCa));
        var second = await watcher.X509.Reader.ReadAsync().AsTask().DefaultTimeout();

        // Assert
        Assert.That(first.Bundles.Select(b => b.TrustDomain), Is.EqualTo(new[] { Domain }));
        Assert.That(second.Bundles.Select(b => b.TrustDomain), Is.EquivalentTo(new[] { Domain, FederatedDomain }));
    }

    [Test]
    public async Task WatchJwtBundlesAsync_Watcher_ReceivesUpdatesAndErrors()
    {
        // Arrange
        var watcher = new BundlesWatcher();
        this.fake.JwtBundles.Set(Messages.JwtBundles(Signer.CreateJwtBundle()));
        _ = this.client.WatchJwtBundlesAsync(watcher, this.stop.Token);

        // Act
        var first = await watcher.Jwt.Reader.ReadAsync().AsTask().DefaultTimeout();
        this.fake.JwtBundles.Fail(StatusCode.Unavailable, "down");
        var error = await watcher.Errors.Reader.ReadAsync().AsTask().DefaultTimeout();

        // Assert
        Assert.That(first.GetJwtBundleForTrustDomain(Domain).JwtAuthorities.Keys, Is.EqualTo(new[] { "key-1" }));
        Assert.That(((WorkloadApiException)error).StatusCode, Is.EqualTo(StatusCode.Unavailable));
    }

    [Test]
    public async Task WatchX509ContextAsync_Watcher_ReceivesContext()
    {
        // Arrange
        var watcher = new ContextWatcher();
        this.fake.X509Svids.Set(Response(Web));

        // Act
        _ = this.client.WatchX509ContextAsync(watcher, this.stop.Token);
        var context = await watcher.Updates.Reader.ReadAsync().AsTask().DefaultTimeout();

        // Assert
        Assert.That(context.DefaultSvid.Id, Is.EqualTo(Web));
    }

    private static X509SVIDResponse Response(SpiffeId id) => Messages.X509SvidResponse(Messages.X509Svid(id, Ca.IssueX509Svid(id), Ca));

    private Task WatchX509(CancellationToken token) =>
        this.client.WatchX509ContextAsync(c => this.updates.Writer.TryWrite(c), e => this.errors.Writer.TryWrite(e), token);

    private Task StartX509Watch() => this.WatchX509(this.stop.Token);

    private Task<X509Context> NextUpdateAsync() => this.updates.Reader.ReadAsync().AsTask().DefaultTimeout();

    private sealed class ContextWatcher : IX509ContextWatcher
    {
        public Channel<X509Context> Updates { get; } = Channel.CreateUnbounded<X509Context>();

        public void OnX509ContextUpdate(X509Context context) => this.Updates.Writer.TryWrite(context);

        public void OnX509ContextWatchError(Exception exception)
        {
        }
    }

    private sealed class BundlesWatcher : IX509BundlesWatcher, IJwtBundlesWatcher
    {
        public Channel<X509BundleSet> X509 { get; } = Channel.CreateUnbounded<X509BundleSet>();

        public Channel<JwtBundleSet> Jwt { get; } = Channel.CreateUnbounded<JwtBundleSet>();

        public Channel<Exception> Errors { get; } = Channel.CreateUnbounded<Exception>();

        public void OnX509BundlesUpdate(X509BundleSet bundles) => this.X509.Writer.TryWrite(bundles);

        public void OnX509BundlesWatchError(Exception exception) => this.Errors.Writer.TryWrite(exception);

        public void OnJwtBundlesUpdate(JwtBundleSet bundles) => this.Jwt.Writer.TryWrite(bundles);

        public void OnJwtBundlesWatchError(Exception exception) => this.Errors.Writer.TryWrite(exception);
    }
}
