using System.Threading.Channels;
using Spiffe.Agent.Core.Attestation;

namespace Spiffe.Agent.Core.Workload;

/// <summary>
/// A workload's live view of the cache, from <see cref="IWorkloadIdentityCache.Subscribe"/>. Serves the streaming
/// Workload API calls (<c>FetchX509SVID</c>, <c>FetchX509Bundles</c>, <c>FetchJWTBundles</c>). Dispose it when the
/// stream ends (idempotent); the cache keeps no reference afterwards.
/// </summary>
/// <remarks>
/// <para><see cref="Updates"/> has capacity one and keeps only the newest value (latest wins): a slow reader skips
/// intermediate states but always ends with the current one. The first update arrives as soon as every matching
/// entry has an SVID (immediately when nothing matches, otherwise after the missing SVIDs are minted; the
/// subscription asks the sync loop to mint them at once). After that, one update per relevant change: an entry
/// matching the selectors added, changed or removed, a new SVID for one of them, a change of the own bundle or of a
/// federated bundle they reference.</para>
/// <para>The channel completes with <see cref="WorkloadSubscriptionRevokedException"/> when the agent withdraws the
/// workload's identities (the endpoint ends the stream with <c>PermissionDenied</c>), and without error when the
/// agent shuts down or the subscription is disposed.</para>
/// </remarks>
internal interface IWorkloadSubscription : IDisposable
{
    /// <summary>The workload selectors this subscription was made for.</summary>
    SelectorSet Selectors { get; }

    /// <summary>Full-state updates, latest wins; read with <c>ReadAllAsync</c> or <c>WaitToReadAsync</c>/<c>TryRead</c>.</summary>
    ChannelReader<WorkloadUpdate> Updates { get; }
}
