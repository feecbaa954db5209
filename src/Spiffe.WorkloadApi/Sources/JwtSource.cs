using Spiffe.Core;
using Spiffe.WorkloadApi.Internal;

namespace Spiffe.WorkloadApi;

/// <summary>
/// A JWT bundle source kept current by a Workload API watch, which also fetches JWT-SVIDs. Create it with
/// <see cref="CreateAsync"/>, which returns once the first JWT bundles have arrived. Thread-safe.
/// </summary>
public sealed class JwtSource : IJwtBundleSource, IAsyncDisposable
{
    private const string Name = "JwtSource";

    private readonly SourceLifetime lifetime;
    private volatile JwtBundleSet? bundles;

    private JwtSource(WorkloadApiSourceOptions options)
    {
        this.lifetime = new SourceLifetime(Name, options);
        this.lifetime.Start(token => this.lifetime.Client.WatchJwtBundlesAsync(this.OnUpdate, this.lifetime.OnError, token));
    }

    /// <summary>Raised after each JWT bundle update, on the watch's thread. Exceptions thrown by handlers are logged and ignored.</summary>
    public event EventHandler? Updated;

    /// <summary>Creates a source and waits for its first JWT bundles.</summary>
    /// <param name="options">The client or client settings.</param>
    /// <param name="cancellationToken">Gives up waiting; the source is then disposed.</param>
    /// <returns>The ready source; dispose it to stop watching.</returns>
    /// <exception cref="OperationCanceledException">Cancelled before the first update; the message and inner exception give the last watch error.</exception>
    /// <exception cref="WorkloadApiException">The endpoint returned a non-retryable error.</exception>
    public static async Task<JwtSource> CreateAsync(WorkloadApiSourceOptions? options = null, CancellationToken cancellationToken = default)
    {
        var source = new JwtSource(options ?? new WorkloadApiSourceOptions());
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

    /// <summary>Returns the current JWT bundle of a trust domain (own or federated).</summary>
    /// <param name="trustDomain">The trust domain.</param>
    /// <returns>The bundle.</returns>
    /// <exception cref="BundleNotFoundException">The latest update has no bundle for the trust domain.</exception>
    /// <exception cref="ObjectDisposedException">The source is disposed.</exception>
    public JwtBundle GetJwtBundleForTrustDomain(TrustDomain trustDomain)
    {
        this.lifetime.ThrowIfDisposed(this);
        return this.bundles!.GetJwtBundleForTrustDomain(trustDomain);
    }

    /// <summary>Fetches a JWT-SVID from the Workload API (see <see cref="WorkloadApiClient.FetchJwtSvidAsync"/>).</summary>
    /// <param name="audience">The audience; required.</param>
    /// <param name="extraAudiences">More audiences.</param>
    /// <param name="subject">The SPIFFE ID to get a token for, when the caller has several.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The SVID.</returns>
    /// <exception cref="WorkloadApiException">The call failed or the response is invalid.</exception>
    /// <exception cref="ObjectDisposedException">The source is disposed.</exception>
    public Task<JwtSvid> FetchJwtSvidAsync(
        string audience,
        IEnumerable<string>? extraAudiences = null,
        SpiffeId? subject = null,
        CancellationToken cancellationToken = default)
    {
        this.lifetime.ThrowIfDisposed(this);
        return this.lifetime.Client.FetchJwtSvidAsync(audience, extraAudiences, subject, cancellationToken);
    }

    /// <summary>Fetches JWT-SVIDs from the Workload API (see <see cref="WorkloadApiClient.FetchJwtSvidsAsync"/>).</summary>
    /// <param name="audience">The audience; required.</param>
    /// <param name="extraAudiences">More audiences.</param>
    /// <param name="subject">The SPIFFE ID to get a token for; null for all of the caller's identities.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The SVIDs.</returns>
    /// <exception cref="WorkloadApiException">The call failed or the response is invalid.</exception>
    /// <exception cref="ObjectDisposedException">The source is disposed.</exception>
    public Task<IReadOnlyList<JwtSvid>> FetchJwtSvidsAsync(
        string audience,
        IEnumerable<string>? extraAudiences = null,
        SpiffeId? subject = null,
        CancellationToken cancellationToken = default)
    {
        this.lifetime.ThrowIfDisposed(this);
        return this.lifetime.Client.FetchJwtSvidsAsync(audience, extraAudiences, subject, cancellationToken);
    }

    /// <summary>Stops watching and, if the source created its client, closes it. Getters then throw <see cref="ObjectDisposedException"/>.</summary>
    /// <returns>A task that completes when the watch has stopped.</returns>
    public ValueTask DisposeAsync() => this.lifetime.DisposeAsync();

    private void OnUpdate(JwtBundleSet update)
    {
        this.bundles = update;
        this.lifetime.SetReady();
        this.lifetime.RaiseUpdated(this, this.Updated);
    }
}
