using Spiffe.Agent.Core.Attestation;
using Spiffe.Core;

namespace Spiffe.Agent.Core.Workload;

/// <summary>
/// What the Workload API endpoint needs from the agent back end: identities and bundles for a workload's selectors.
/// An entry applies to a workload when every one of its selectors is in the workload's set (exact, ordinal match);
/// entries without selectors and <c>store_svid</c> entries never apply. Thread-safe.
/// </summary>
/// <remarks>Only usable after <see cref="IAgentStartup.Ready"/> has completed.</remarks>
internal interface IWorkloadIdentityCache
{
    /// <summary>
    /// Subscribes to the full state for these workload selectors (see <see cref="IWorkloadSubscription"/>). Serves
    /// <c>FetchX509SVID</c>, <c>FetchX509Bundles</c> and <c>FetchJWTBundles</c>; the endpoint decides what to send (for
    /// example <c>PermissionDenied</c> for zero identities).
    /// </summary>
    IWorkloadSubscription Subscribe(SelectorSet workloadSelectors);

    /// <summary>
    /// Returns one JWT-SVID with all <paramref name="audiences"/> for each matching entry (ordered by entry ID,
    /// de-duplicated by hint), restricted to the entry whose SPIFFE ID equals <paramref name="spiffeId"/> when given.
    /// Tokens are cached per (SPIFFE ID, sorted audiences) and re-fetched once past a jittered half-life; when the
    /// server fails and a cached token is unexpired, that token is returned (a warning is logged). Entries with
    /// <see cref="RegistrationEntry.JwtSvidIncludeJti"/> always get a fresh token. Empty when nothing matches.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="audiences"/> is empty or holds an empty string.</exception>
    /// <exception cref="JwtSvidUnavailableException">A token could not be obtained for one of the entries.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    ValueTask<IReadOnlyList<IssuedJwtSvid>> FetchJwtSvidsAsync(
        SelectorSet workloadSelectors,
        IReadOnlyList<string> audiences,
        SpiffeId? spiffeId,
        CancellationToken cancellationToken);

    /// <summary>
    /// The JWT bundles <c>ValidateJWTSVID</c> checks against for this caller: the own trust domain's plus the
    /// federated bundles of the caller's matching entries. The caller needs no identity (then only the own bundle).
    /// </summary>
    JwtBundleSet GetJwtBundlesForValidation(SelectorSet workloadSelectors);
}
