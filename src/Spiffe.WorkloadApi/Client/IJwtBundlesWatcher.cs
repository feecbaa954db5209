using Spiffe.Core;

namespace Spiffe.WorkloadApi;

/// <summary>Receives the updates of <see cref="WorkloadApiClient.WatchJwtBundlesAsync(IJwtBundlesWatcher, CancellationToken)"/>.</summary>
public interface IJwtBundlesWatcher
{
    /// <summary>Called with each new set of JWT bundles, in order, never concurrently.</summary>
    /// <param name="bundles">The complete current set.</param>
    void OnJwtBundlesUpdate(JwtBundleSet bundles);

    /// <summary>Called when the stream fails or sends a response that does not validate; the watch retries unless the error is fatal.</summary>
    /// <param name="exception">What went wrong.</param>
    void OnJwtBundlesWatchError(Exception exception);
}
