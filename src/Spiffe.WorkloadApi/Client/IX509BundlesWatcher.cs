using Spiffe.Core;

namespace Spiffe.WorkloadApi;

/// <summary>Receives the updates of <see cref="WorkloadApiClient.WatchX509BundlesAsync(IX509BundlesWatcher, CancellationToken)"/>.</summary>
public interface IX509BundlesWatcher
{
    /// <summary>Called with each new set of X.509 bundles, in order, never concurrently.</summary>
    /// <param name="bundles">The complete current set.</param>
    void OnX509BundlesUpdate(X509BundleSet bundles);

    /// <summary>Called when the stream fails or sends a response that does not validate; the watch retries unless the error is fatal.</summary>
    /// <param name="exception">What went wrong.</param>
    void OnX509BundlesWatchError(Exception exception);
}
