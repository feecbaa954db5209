using Microsoft.Extensions.Logging;

namespace Spiffe.WorkloadApi.Internal;

/// <summary>
/// What the three sources share: the client (owned or borrowed), the watch tasks under one cancellation, the wait
/// for the first complete state, the <c>Updated</c> event, and disposal.
/// </summary>
internal sealed class SourceLifetime : IAsyncDisposable
{
    private readonly string name;
    private readonly bool ownsClient;
    private readonly CancellationTokenSource stopping = new();
    private readonly TaskCompletionSource ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<Task> watches = [];
    private volatile Exception? lastError;
    private int disposed;

    public SourceLifetime(string name, WorkloadApiSourceOptions options)
    {
        this.name = name;
        this.ownsClient = options.Client is null;
        this.Client = options.Client ?? WorkloadApiClient.Create(options.ClientOptions);
        this.Logger = this.Client.LoggerFactory.CreateLogger(typeof(WorkloadApiClient).Namespace + "." + name);
    }

    public WorkloadApiClient Client { get; }

    public ILogger Logger { get; }

    public bool IsDisposed => Volatile.Read(ref this.disposed) != 0;

    /// <summary>Starts a watch; the source calls <see cref="SetReady"/> once its state is complete.</summary>
    public void Start(Func<CancellationToken, Task> watch)
    {
        var token = this.stopping.Token;
        this.watches.Add(Task.Run(() => this.RunAsync(watch, token), CancellationToken.None));
    }

    public void SetReady() => this.ready.TrySetResult();

    /// <summary>Remembers a watch failure, to explain a wait that never ends.</summary>
    public void OnError(Exception exception) => this.lastError = exception;

    public async Task WaitUntilReadyAsync(CancellationToken cancellationToken)
    {
        try
        {
            await this.ready.Task.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException ex) when (ex.CancellationToken == cancellationToken)
        {
            var last = this.lastError;
            throw new OperationCanceledException(
                $"{this.name}: cancelled before the first update from the Workload API at {this.Client.Address}; last error: {last?.Message ?? "none"}",
                last,
                cancellationToken);
        }
    }

    public void RaiseUpdated(object sender, EventHandler? handlers)
    {
        this.Logger.SourceUpdated(this.name);
        if (handlers is null)
        {
            return;
        }

        foreach (var handler in handlers.GetInvocationList().Cast<EventHandler>())
        {
            try
            {
                handler(sender, EventArgs.Empty);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                this.Logger.UpdatedHandlerFailed(this.name, ex);
            }
        }
    }

    public void ThrowIfDisposed(object source) => ObjectDisposedException.ThrowIf(this.IsDisposed, source);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref this.disposed, 1) != 0)
        {
            return;
        }

        await this.stopping.CancelAsync();
        await Task.WhenAll(this.watches);
        this.stopping.Dispose();
        if (this.ownsClient)
        {
            await this.Client.DisposeAsync();
        }
    }

    private async Task RunAsync(Func<CancellationToken, Task> watch, CancellationToken cancellationToken)
    {
        try
        {
            await watch(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            if (!this.ready.TrySetException(ex))
            {
                this.Logger.SourceWatchEnded(this.name, ex);
            }
        }
    }
}
