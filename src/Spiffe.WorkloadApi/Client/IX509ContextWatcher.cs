namespace Spiffe.WorkloadApi;

/// <summary>Receives the updates of <see cref="WorkloadApiClient.WatchX509ContextAsync(IX509ContextWatcher, CancellationToken)"/>.</summary>
public interface IX509ContextWatcher
{
    /// <summary>Called with each new X.509 context, in order, never concurrently.</summary>
    /// <param name="context">The complete current state.</param>
    void OnX509ContextUpdate(X509Context context);

    /// <summary>Called when the stream fails or sends a response that does not validate; the watch retries unless the error is fatal.</summary>
    /// <param name="exception">What went wrong.</param>
    void OnX509ContextWatchError(Exception exception);
}
