using Grpc.Core;
using Spiffe.Core;
using Spiffe.Proto.Agent.Proof.V1;
using Spiffe.WorkloadApi.Internal;
using Spiffe.WorkloadApi.Proto;
using ProofService = Spiffe.Proto.Agent.Proof.V1.WorkloadProof;

namespace Spiffe.WorkloadApi;

/// <summary>The WIT-SVID calls (<c>FetchWITSVID</c>, <c>FetchWITBundles</c>) and the agent's signing oracle.</summary>
public sealed partial class WorkloadApiClient
{
    private const string WitSvidStream = "WIT-SVID";
    private const string WitBundlesStream = "WIT bundles";

    private readonly ProofService.WorkloadProofClient proofClient;

    /// <summary>
    /// Fetches the default WIT-SVID (the first one the endpoint returns), or <paramref name="subject"/>'s, with its
    /// private key when the agent hands it out.
    /// </summary>
    /// <param name="subject">The SPIFFE ID to get the WIT-SVID of, when the caller has several; null for the default.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The WIT-SVID, parsed without signature verification (it comes from the trusted endpoint), and its key.</returns>
    /// <exception cref="WorkloadApiException">The call failed (<see cref="StatusCode.Unimplemented"/> when the agent issues no WIT-SVIDs) or the response is invalid.</exception>
    public async Task<WitSvidCredential> FetchWitSvidAsync(SpiffeId? subject = null, CancellationToken cancellationToken = default) =>
        (await this.FetchWitSvidsAsync(subject, cancellationToken))[0];

    /// <summary>Fetches every WIT-SVID of the caller, or only <paramref name="subject"/>'s; of SVIDs sharing a hint only the first is kept.</summary>
    /// <param name="subject">The SPIFFE ID to get the WIT-SVID of; null for all of the caller's identities.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The WIT-SVIDs, at least one; a key is null when the agent keeps it.</returns>
    /// <exception cref="WorkloadApiException">The call failed or the response is invalid.</exception>
    public async Task<IReadOnlyList<WitSvidCredential>> FetchWitSvidsAsync(SpiffeId? subject = null, CancellationToken cancellationToken = default)
    {
        var request = WitSvidRequest(subject);
        var response = await this.FetchFirstAsync(WitSvidStream, options => this.client.FetchWITSVID(request, options), cancellationToken);
        return WitResponses.ParseWitSvids(response, this.TimeProvider.GetUtcNow());
    }

    /// <summary>
    /// Watches the caller's WIT-SVIDs until cancelled or a non-retryable error: every rotation arrives as a new list.
    /// <see cref="StatusCode.Unimplemented"/> (an agent that issues no WIT-SVIDs) also ends the watch.
    /// </summary>
    /// <param name="onUpdate">Called with each new list of WIT-SVIDs, in order.</param>
    /// <param name="onError">Called with each failure before the watch retries or stops.</param>
    /// <param name="cancellationToken">Ends the watch.</param>
    /// <returns>A task that ends with <see cref="OperationCanceledException"/> when cancelled.</returns>
    /// <exception cref="WorkloadApiException">The endpoint returned <see cref="StatusCode.InvalidArgument"/>, <see cref="StatusCode.Cancelled"/> or <see cref="StatusCode.Unimplemented"/>.</exception>
    public Task WatchWitSvidsAsync(Action<IReadOnlyList<WitSvidCredential>> onUpdate, Action<Exception>? onError = null, CancellationToken cancellationToken = default)
    {
        var request = WitSvidRequest(null);
        return this.WatchAsync(
            WitSvidStream,
            options => this.client.FetchWITSVID(request, options),
            response => WitResponses.ParseWitSvids(response, this.TimeProvider.GetUtcNow()),
            onUpdate,
            onError,
            cancellationToken,
            stopOnUnimplemented: true);
    }

    /// <summary>Fetches the WIT bundles of the caller's own and federated trust domains.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The bundles, at least one.</returns>
    /// <exception cref="WorkloadApiException">The call failed or the response is invalid.</exception>
    public async Task<WitBundleSet> FetchWitBundlesAsync(CancellationToken cancellationToken = default) =>
        WitResponses.ParseWitBundles(await this.FetchFirstAsync(WitBundlesStream, this.StartWitBundles, cancellationToken));

    /// <summary>
    /// Watches the WIT bundles until cancelled or a non-retryable error. <see cref="StatusCode.Unimplemented"/> (an
    /// agent that issues no WIT-SVIDs) also ends the watch.
    /// </summary>
    /// <param name="onUpdate">Called with each new bundle set, in order.</param>
    /// <param name="onError">Called with each failure before the watch retries or stops.</param>
    /// <param name="cancellationToken">Ends the watch.</param>
    /// <returns>A task that ends with <see cref="OperationCanceledException"/> when cancelled.</returns>
    /// <exception cref="WorkloadApiException">The endpoint returned <see cref="StatusCode.InvalidArgument"/>, <see cref="StatusCode.Cancelled"/> or <see cref="StatusCode.Unimplemented"/>.</exception>
    public Task WatchWitBundlesAsync(Action<WitBundleSet> onUpdate, Action<Exception>? onError = null, CancellationToken cancellationToken = default) =>
        this.WatchAsync(WitBundlesStream, this.StartWitBundles, WitResponses.ParseWitBundles, onUpdate, onError, cancellationToken, stopOnUnimplemented: true);

    /// <summary>Asks the agent's signing oracle (<c>spiffe.agent.proof.v1.WorkloadProof/CreateProof</c>) for a WIT and a fresh proof.</summary>
    internal Task<CreateProofResponse> CreateProofAsync(CreateProofRequest request, CancellationToken cancellationToken) =>
        this.CallAsync("CreateProof", options => this.proofClient.CreateProofAsync(request, options), cancellationToken);

    private static ProofService.WorkloadProofClient CreateProofClient(CallInvoker invoker) => new(invoker);

    private static WITSVIDRequest WitSvidRequest(SpiffeId? subject) => subject is { IsZero: true }
        ? throw new ArgumentException("the subject is the zero SPIFFE ID", nameof(subject))
        : new WITSVIDRequest { SpiffeId = subject?.ToString() ?? string.Empty };

    private AsyncServerStreamingCall<WITBundlesResponse> StartWitBundles(CallOptions options) =>
        this.client.FetchWITBundles(new WITBundlesRequest(), options);
}
