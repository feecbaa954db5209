using Spiffe.Core;
using Spiffe.WorkloadApi.Internal;

namespace Spiffe.WorkloadApi;

/// <summary>
/// An X.509 and JWT bundle source kept current by two Workload API watches, for a workload that verifies peers but
/// has no identity of its own to present. Create it with <see cref="CreateAsync"/>, which returns once both kinds of
/// bundle have arrived. Thread-safe.
/// </summary>
public sealed class BundleSource : IX509BundleSource, IJwtBundleSource, IAsyncDisposable
{
    private const string Name = "BundleSource";

    private readonly SourceLifetime lifetime;
    private volatile X509BundleSet? x509Bundles;
    private volatile JwtBundleSet? jwtBundles;

    private BundleSource(WorkloadApiSourceOptions options)
    {
        this.lifetime = new SourceLifetime(Name, options);
        this.lifetime.Start(token => this.lifetime.Client.WatchX509BundlesAsync(this.OnX509Update, this.lifetime.OnError, token));
        this.lifetime.Start(token => this.lifetime.Client.WatchJwtBundlesAsync(this.OnJwtUpdate, this.lifetime.OnError, token));
    }

    /// <summary>Raised after each X.509 or JWT bundle update, on a watch's thread. Exceptions thrown by handlers are logged and ignored.</summary>
    public event EventHandler? Updated;

    /// <summary>Creates a source and waits for its first X.509 and JWT bundles.</summary>
    /// <param name="options">The client or client settings.</param>
    /// <param name="cancellationToken">Gives up waiting; the source is then disposed.</param>
    /// <returns>The ready source; dispose it to stop watching.</returns>
    /// <exception cref="OperationCanceledException">Cancelled before both kinds of bundle arrived; the message and inner exception give the last watch error.</exception>
    /// <exception cref="WorkloadApiException">The endpoint returned a non-retryable error.</exception>
    public static async Task<BundleSource> CreateAsync(WorkloadApiSourceOptions? options = null, CancellationToken cancellationToken = default)
    {
        var source = new BundleSource(options ?? new WorkloadApiSourceOptions());
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

    /// <summary>Returns the current X.509 bundle of a trust domain (own or federated).</summary>
    /// <param name="trustDomain">The trust domain.</param>
    /// <returns>The bundle.</returns>
    /// <exception cref="BundleNotFoundException">The latest update has no bundle for the trust domain.</exception>
    /// <exception cref="ObjectDisposedException">The source is disposed.</exception>
    public X509Bundle GetX509BundleForTrustDomain(TrustDomain trustDomain)
    {
        this.lifetime.ThrowIfDisposed(this);
        return this.x509Bundles!.GetX509BundleForTrustDomain(trustDomain);
    }

    /// <summary>Returns the current JWT bundle of a trust domain (own or federated).</summary>
    /// <param name="trustDomain">The trust domain.</param>
    /// <returns>The bundle.</returns>
    /// <exception cref="BundleNotFoundException">The latest update has no bundle for the trust domain.</exception>
    /// <exception cref="ObjectDisposedException">The source is disposed.</exception>
    public JwtBundle GetJwtBundleForTrustDomain(TrustDomain trustDomain)
    {
        this.lifetime.ThrowIfDisposed(this);
        return this.jwtBundles!.GetJwtBundleForTrustDomain(trustDomain);
    }

    /// <summary>Stops watching and, if the source created its client, closes it. Getters then throw <see cref="ObjectDisposedException"/>.</summary>
    /// <returns>A task that completes when the watches have stopped.</returns>
    public ValueTask DisposeAsync() => this.lifetime.DisposeAsync();

    private void OnX509Update(X509BundleSet update)
    {
        this.x509Bundles = update;
        this.OnUpdate();
    }

    private void OnJwtUpdate(JwtBundleSet update)
    {
        this.jwtBundles = update;
        this.OnUpdate();
    }

    private void OnUpdate()
    {
        if (this.x509Bundles is not null && this.jwtBundles is not null)
        {
            this.lifetime.SetReady();
            this.lifetime.RaiseUpdated(this, this.Updated);
        }
    }
}
