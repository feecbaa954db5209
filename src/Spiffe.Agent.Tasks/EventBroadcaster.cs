using System.Collections.Immutable;
using System.Threading.Channels;

namespace Spiffe.Agent.Tasks;

/// <summary>Fans events out to any number of watchers, each with its own unbounded queue.</summary>
/// <remarks>Unbounded on purpose: an end or revocation event must never be dropped. Watchers must keep reading.</remarks>
internal sealed class EventBroadcaster<T>
{
    private ImmutableArray<Channel<T>> subscribers = [];

    /// <summary>Adds a watcher; call <see cref="Unsubscribe"/> when done.</summary>
    public Channel<T> Subscribe()
    {
        var channel = Channel.CreateUnbounded<T>(new UnboundedChannelOptions { SingleReader = true });
        ImmutableInterlocked.Update(ref subscribers, (list, c) => list.Add(c), channel);
        return channel;
    }

    /// <summary>Removes a watcher.</summary>
    public void Unsubscribe(Channel<T> channel)
    {
        ImmutableInterlocked.Update(ref subscribers, (list, c) => list.Remove(c), channel);
        channel.Writer.TryComplete();
    }

    /// <summary>Queues <paramref name="item"/> for every watcher.</summary>
    public void Publish(T item)
    {
        foreach (var channel in subscribers)
        {
            channel.Writer.TryWrite(item);
        }
    }
}
