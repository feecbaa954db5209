using System.Threading.Channels;

namespace Spiffe.Agent.Core.Wit;

/// <summary>
/// A workload's live view of its WIT state, from <see cref="IWitSvidCache.Subscribe"/>: a capacity-one, latest-wins
/// channel of full-state <see cref="WitUpdate"/>s. The channel completes without error when the agent shuts down.
/// Dispose it when the stream ends (idempotent).
/// </summary>
internal interface IWitSubscription : IDisposable
{
    /// <summary>Full-state updates, latest wins.</summary>
    ChannelReader<WitUpdate> Updates { get; }
}
