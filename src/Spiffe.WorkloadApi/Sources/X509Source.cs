using Spiffe.Core;
using Spiffe.WorkloadApi.Internal;

namespace Spiffe.WorkloadApi;

/// <summary>
/// An X509-SVID and X.509 bundle source kept current by a Workload API watch: the SPIFFE identity a TLS
/// client or server uses. Create it with <see cref="CreateAsync"/>, which returns once the first X.509 context has
/// arrived; afterwards every update replaces the state and raises <see cref="Updated"/>. Getters never block and,
/// on the hot path, do not allocate. Thread-safe.
/// </summary>
public sealed class X509Source : IX509SvidSource, IX509BundleSource, IAsyncDisposable
{
    private const string Name = "X509Source";

    private readonly SourceLifetime lifetime;
    private readonly Func<IReadOnlyList<X509Svid>, X509Svid?> picker;
    private volatile Snapshot? current;

    private X509Source(X509SourceOptions options)
    {
        this.picker = options.SvidPicker ?? (svids => svids[0]);
        this.lifetime = new SourceLifetime(Name, options);
        this.lifetime.Start(token => this.lifetime.Client.WatchX509ContextAsync(this.OnUpdate, this.lifetime.OnError, token));
    }

    /// <summary>
    /// Raised after each update has been applied (SVID rotation, bundle change), on the watch's thread. Exceptions
    /// thrown by handlers are logged and ignored.
    /// </summary>
    public event EventHandler? Updated;

    /// <summary>Creates a source and waits for its first X.509 context.</summary>
    /// <param name="options">The client or client settings, and the SVID picker.</param>
    /// <param name="cancellationToken">Gives up waiting (for example after a timeout); the source is then disposed.</param>
    /// <returns>The ready source; dispose it to stop watching.</returns>
    /// <exception cref="OperationCanceledException">Cancelled before the first update; the message and inner exception give the last watch error.</exception>
    /// <exception cref="WorkloadApiException">The endpoint returned a non-retryable error.</exception>
    public static async Task<X509Source> CreateAsync(X509SourceOptions? options = null, CancellationToken cancellationToken = default)
    {
        var source = new X509Source(options ?? new X509SourceOptions());
        try
        {
            await source.lifetime.WaitUntilReadyAsync(cancellationToken);
            return source;
        }
        catch
        {
            await source.DisposeAsync();
            throw;
        }
    }

    /// <summary>Returns the current X509-SVID: the cached instance, no allocation.</summary>
    /// <returns>The SVID chosen by the picker from the latest update.</returns>
    /// <exception cref="ObjectDisposedException">The source is disposed.</exception>
    public X509Svid GetX509Svid() => this.GetSnapshot().Svid;

    /// <summary>Returns the current X.509 bundle of a trust domain (own or federated).</summary>
    /// <param name="trustDomain">The trust domain.</param>
    /// <returns>The bundle.</returns>
    /// <exception cref="BundleNotFoundException">The latest update has no bundle for the trust domain.</exception>
    /// <exception cref="ObjectDisposedException">The source is disposed.</exception>
    public X509Bundle GetX509BundleForTrustDomain(TrustDomain trustDomain) =>
        this.GetSnapshot().Bundles.GetX509BundleForTrustDomain(trustDomain);

    /// <summary>Stops watching and, if the source created its client, closes it. Getters then throw <see cref="ObjectDisposedException"/>.</summary>
    /// <returns>A task that completes when the watch has stopped.</returns>
    public ValueTask DisposeAsync() => this.lifetime.DisposeAsync();

    private Snapshot GetSnapshot()
    {
        this.lifetime.ThrowIfDisposed(this);
        return this.current!;
    }

    private void OnUpdate(X509Context context)
    {
        var svid = this.picker(context.Svids);
        if (svid is null)
        {
            var error = new WorkloadApiException($"{Name}: the SVID picker chose none of the {context.Svids.Count} SVIDs in the update; keeping the previous SVID");
            this.lifetime.Logger.SvidNotPicked(error.Message);
            this.lifetime.OnError(error);
            return;
        }

        this.current = new Snapshot(svid, context.Bundles);
        this.lifetime.SetReady();
        this.lifetime.RaiseUpdated(this, this.Updated);
    }

    private sealed record Snapshot(X509Svid Svid, X509BundleSet Bundles);
}
