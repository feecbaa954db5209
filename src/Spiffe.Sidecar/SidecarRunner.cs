using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Spiffe.WorkloadApi;

namespace Spiffe.Sidecar;

/// <summary>
/// Runs the sidecar (spiffe-helper behaviour): keeps the X509-SVID, its key and the bundle (PEM), the JWT-SVIDs and
/// the JWT bundle written to the certificate directory, rewrites them on every rotation, and then notifies the
/// workload (<see cref="SidecarNotifier"/>). The first notification waits until every configured file has been
/// written once. Without daemon mode the sidecar stops after that first complete write.
/// </summary>
internal sealed class SidecarRunner
{
    /// <summary>The exit code of a run that wrote everything (and, in daemon mode, was stopped by cancellation).</summary>
    public const int Success = 0;

    /// <summary>The exit code of a run that failed; the reason has been logged as <c>SidecarFailed</c>.</summary>
    public const int Failure = 1;

    private static readonly TimeSpan MinimumRetry = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaximumRetry = TimeSpan.FromSeconds(60);

    private readonly SidecarOptions options;
    private readonly ILoggerFactory loggerFactory;
    private readonly ILogger logger;
    private readonly TimeProvider timeProvider;
    private readonly Channel<Update> updates = Channel.CreateUnbounded<Update>(new UnboundedChannelOptions { SingleReader = true });
    private readonly TaskCompletionSource firstRound = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile Exception? lastError;

    public SidecarRunner(SidecarOptions options, ILoggerFactory? loggerFactory = null, TimeProvider? timeProvider = null)
    {
        this.options = options ?? throw new ArgumentNullException(nameof(options));
        this.loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        this.logger = this.loggerFactory.CreateLogger<SidecarRunner>();
        this.timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Runs the sidecar with the system clock and no logging.</summary>
    public static Task<int> RunAsync(SidecarOptions options, CancellationToken cancellationToken) =>
        new SidecarRunner(options).RunAsync(cancellationToken);

    /// <summary>
    /// Runs once: returns <see cref="Success"/> after the first complete write without daemon mode, or when
    /// <paramref name="cancellationToken"/> stops a daemon; returns <see cref="Failure"/> when the socket is missing, the
    /// first complete write does not happen within <see cref="SidecarOptions.Timeout"/>, or the endpoint rejects the
    /// sidecar for good.
    /// </summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        WorkloadApiAddress address;
        try
        {
            address = this.options.AgentAddress is { } configured
                ? WorkloadApiAddress.Parse(configured)
                : WorkloadApiAddress.FromEnvironment()
                    ?? throw new FormatException($"no Workload API address: set agent_address or {WorkloadApiAddress.EnvironmentVariable}");
        }
        catch (FormatException ex)
        {
            return this.Fail(ex.Message);
        }

        if (address.IsUnixSocket && !File.Exists(address.UnixSocketPath))
        {
            return this.Fail($"the Workload API socket {address.UnixSocketPath} does not exist; is the agent running?");
        }

        this.logger.Started(this.options.CertDirectory, address.Value, this.options.DaemonMode);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        await using var client = WorkloadApiClient.Create(new WorkloadApiClientOptions
        {
            Address = address.Value,
            LoggerFactory = this.loggerFactory,
            TimeProvider = this.timeProvider,
        });
        await using var notifier = new SidecarNotifier(this.options, this.logger, this.timeProvider);
        var producers = this.StartProducers(client, stop.Token);
        var consumer = this.ConsumeAsync(new SidecarFiles(this.options), notifier, stop.Token);
        try
        {
            return await this.SuperviseAsync(producers, cancellationToken);
        }
        finally
        {
            await stop.CancelAsync();
            await DrainAsync([.. producers, consumer]);
        }
    }

    private async Task<int> SuperviseAsync(List<Task> producers, CancellationToken cancellationToken)
    {
        var producerEnded = Task.WhenAny(producers);
        var timeout = Task.Delay(this.options.Timeout, this.timeProvider, cancellationToken);
        var first = await Task.WhenAny(this.firstRound.Task, timeout, producerEnded);
        if (first != this.firstRound.Task)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                return this.Fail("cancelled before the first complete write");
            }

            return first == timeout
                ? this.Fail($"the files were not all written within {this.options.Timeout}; last error: {this.lastError?.Message ?? "none"}")
                : this.Fail(await RefusalAsync(producerEnded));
        }

        if (!this.options.DaemonMode)
        {
            return Success;
        }

        await Task.WhenAny(Task.Delay(Timeout.InfiniteTimeSpan, this.timeProvider, cancellationToken), producerEnded);
        return cancellationToken.IsCancellationRequested ? Success : this.Fail(await RefusalAsync(producerEnded));
    }

    private static async Task<string> RefusalAsync(Task<Task> producerEnded) =>
        "the Workload API refused the sidecar: " + (await producerEnded).Exception?.InnerException?.Message;

    private List<Task> StartProducers(WorkloadApiClient client, CancellationToken cancellationToken)
    {
        var producers = new List<Task>();
        if (this.options.X509Enabled)
        {
            producers.Add(client.WatchX509ContextAsync(
                context => this.Enqueue(new Update("X.509 SVID files", files => files.WriteX509(context), context.DefaultSvid.Id.ToString())),
                this.RecordError,
                cancellationToken));
        }

        if (this.options.JwtBundleFileName is not null)
        {
            producers.Add(client.WatchJwtBundlesAsync(
                bundles => this.Enqueue(new Update("JWT bundle file", files => files.WriteJwtBundles(bundles), string.Join(", ", bundles.Bundles.Select(b => b.TrustDomain)))),
                this.RecordError,
                cancellationToken));
        }

        producers.AddRange(this.options.JwtSvids.Select(file => this.RefreshJwtSvidAsync(client, file, cancellationToken)));
        return producers;
    }

    private async Task RefreshJwtSvidAsync(WorkloadApiClient client, JwtSvidFileOptions file, CancellationToken cancellationToken)
    {
        var what = $"JWT-SVID file {file.FileName}";
        var retry = MinimumRetry;
        while (true)
        {
            TimeSpan delay;
            try
            {
                var svid = await client.FetchJwtSvidAsync(file.Audience, file.ExtraAudiences, subject: null, cancellationToken);
                this.Enqueue(new Update(what, files => files.WriteJwtSvid(file, svid), svid.Id.ToString()));
                var halfLife = (svid.Expiry - this.timeProvider.GetUtcNow()) / 2;
                delay = halfLife > MinimumRetry ? halfLife : MinimumRetry;
                retry = MinimumRetry;
            }
            catch (WorkloadApiException ex)
            {
                this.RecordError(ex);
                delay = retry;
                this.logger.FetchFailed(what, delay, ex);
                retry = retry * 2 < MaximumRetry ? retry * 2 : MaximumRetry;
            }

            await Task.Delay(delay, this.timeProvider, cancellationToken);
        }
    }

    private async Task ConsumeAsync(SidecarFiles files, SidecarNotifier notifier, CancellationToken cancellationToken)
    {
        var pending = new HashSet<string>(StringComparer.Ordinal);
        if (this.options.X509Enabled)
        {
            pending.Add("X.509 SVID files");
        }

        if (this.options.JwtBundleFileName is not null)
        {
            pending.Add("JWT bundle file");
        }

        pending.UnionWith(this.options.JwtSvids.Select(file => $"JWT-SVID file {file.FileName}"));
        await foreach (var update in this.updates.Reader.ReadAllAsync(cancellationToken))
        {
            try
            {
                update.Write(files);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                this.RecordError(ex);
                this.logger.WriteFailed(update.Output, ex);
                continue;
            }

            this.logger.FilesWritten(update.Output, update.Subject);
            pending.Remove(update.Output);
            if (pending.Count == 0)
            {
                await notifier.NotifyAsync(cancellationToken);
                this.firstRound.TrySetResult();
            }
        }
    }

    private void Enqueue(Update update) => this.updates.Writer.TryWrite(update);

    private void RecordError(Exception exception) => this.lastError = exception;

    private int Fail(string reason)
    {
        this.logger.Failed(reason);
        return Failure;
    }

    private static async Task DrainAsync(IEnumerable<Task> tasks)
    {
        foreach (var task in tasks)
        {
            try
            {
                await task;
            }
            catch (Exception ex) when (ex is OperationCanceledException or WorkloadApiException)
            {
            }
        }
    }

    private sealed record Update(string Output, Action<SidecarFiles> Write, string Subject);
}
