using Spiffe.Core;
using Spiffe.WorkloadApi.Internal;

namespace Spiffe.WorkloadApi;

/// <summary>
/// A WIT-SVID and WIT bundle source kept current by two Workload API watches (<c>FetchWITSVID</c> and
/// <c>FetchWITBundles</c>). Create it with <see cref="CreateAsync"/>, which returns once the first WIT-SVIDs and WIT
/// bundles have arrived; afterwards every update replaces the state and raises <see cref="Updated"/>. As an
/// <see cref="IWitBundleSource"/> it feeds <see cref="WorkloadProofVerifier"/> or <c>AddWorkloadProof</c>. Getters never
/// block. Thread-safe.
/// </summary>
/// <remarks>
/// A WIT-SVID whose key the agent keeps (<see cref="WitSvidCredential.IsKeyExportable"/> false) cannot sign proofs in
/// this process: use <see cref="AgentWorkloadProofProvider"/>. An agent that issues no WIT-SVIDs answers
/// <c>Unimplemented</c>, and <see cref="CreateAsync"/> then fails at once with <see cref="WorkloadApiException"/>.
/// </remarks>
public sealed class WitSource : IWitBundleSource, IAsyncDisposable
{
    private const string Name = "WitSource";

    private readonly SourceLifetime lifetime;
    private readonly Func<IReadOnlyList<WitSvidCredential>, WitSvidCredential?> picker;
    private volatile WitSvidCredential? svid;
    private volatile WitBundleSet? bundles;

    private WitSource(WitSourceOptions options)
    {
        this.picker = options.SvidPicker ?? (svids => svids[0]);
        this.lifetime = new SourceLifetime(Name, options);
        this.lifetime.Start(token => this.lifetime.Client.WatchWitSvidsAsync(this.OnSvidUpdate, this.lifetime.OnError, token));
        this.lifetime.Start(token => this.lifetime.Client.WatchWitBundlesAsync(this.OnBundleUpdate, this.lifetime.OnError, token));
    }

    /// <summary>
    /// Raised after each update has been applied (WIT-SVID rotation, bundle change), on a watch's thread. Exceptions
    /// thrown by handlers are logged and ignored.
    /// </summary>
    public event EventHandler? Updated;

    /// <summary>Creates a source and waits for its first WIT-SVIDs and WIT bundles.</summary>
    /// <param name="options">The client or client settings, and the SVID picker.</param>
    /// <param name="cancellationToken">Gives up waiting (for example after a timeout); the source is then disposed.</param>
    /// <returns>The ready source; dispose it to stop watching.</returns>
    /// <exception cref="OperationCanceledException">Cancelled before the first update; the message and inner exception give the last watch error.</exception>
    /// <exception cref="WorkloadApiException">The endpoint returned a non-retryable error (including <c>Unimplemented</c>).</exception>
    public static async Task<WitSource> CreateAsync(WitSourceOptions? options = null, CancellationToken cancellationToken = default)
    {
        var source = new WitSource(options ?? new WitSourceOptions());
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

    /// <summary>Returns the current WIT-SVID and, when the agent hands it out, its key: the cached instance.</summary>
    /// <returns>The credential chosen by the picker from the latest update.</returns>
    /// <exception cref="ObjectDisposedException">The source is disposed.</exception>
    public WitSvidCredential GetWitSvid()
    {
        this.lifetime.ThrowIfDisposed(this);
        return this.svid!;
    }

    /// <summary>Returns the current WIT bundle of a trust domain (own or federated).</summary>
    /// <param name="trustDomain">The trust domain.</param>
    /// <returns>The bundle.</returns>
    /// <exception cref="BundleNotFoundException">The latest update has no bundle for the trust domain.</exception>
    /// <exception cref="ObjectDisposedException">The source is disposed.</exception>
    public WitBundle GetWitBundleForTrustDomain(TrustDomain trustDomain)
    {
        this.lifetime.ThrowIfDisposed(this);
        return this.bundles!.GetWitBundleForTrustDomain(trustDomain);
    }

    /// <summary>Stops watching and, if the source created its client, closes it. Getters then throw <see cref="ObjectDisposedException"/>.</summary>
    /// <returns>A task that completes when the watches have stopped.</returns>
    public ValueTask DisposeAsync() => this.lifetime.DisposeAsync();

    private void OnSvidUpdate(IReadOnlyList<WitSvidCredential> update)
    {
        var picked = this.picker(update);
        if (picked is null)
        {
            var error = new WorkloadApiException($"{Name}: the SVID picker chose none of the {update.Count} WIT-SVIDs in the update; keeping the previous WIT-SVID");
            this.lifetime.Logger.WitSvidNotPicked(error.Message);
            this.lifetime.OnError(error);
            return;
        }

        this.svid = picked;
        this.OnUpdate();
    }

    private void OnBundleUpdate(WitBundleSet update)
    {
        this.bundles = update;
        this.OnUpdate();
    }

    private void OnUpdate()
    {
        if (this.svid is not null && this.bundles is not null)
        {
            this.lifetime.SetReady();
            this.lifetime.RaiseUpdated(this, this.Updated);
        }
    }
}
