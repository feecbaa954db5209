using System.Threading.Channels;
using Grpc.Core;

namespace Spiffe.WorkloadApi.Tests.Infrastructure;

/// <summary>
/// The state of one streaming RPC of <see cref="FakeWorkloadApi"/>: the latest response or error. A new stream
/// gets the latest response at once (or fails with the error); every open stream gets each later response, ends
/// with each later error, or ends cleanly on <see cref="EndStreams"/>.
/// </summary>
internal sealed class Broadcast<T>
    where T : class
{
    private static readonly object End = new();

    private readonly Lock gate = new();
    private readonly List<Channel<object>> subscribers = [];
    private object? current;
    private int streams;

    /// <summary>How many streams have been opened so far.</summary>
    public int StreamCount => Volatile.Read(ref this.streams);

    /// <summary>How many streams are open now.</summary>
    public int OpenCount
    {
        get
        {
            lock (this.gate)
            {
                return this.subscribers.Count;
            }
        }
    }

    public void Set(T response) => this.Publish(response, keep: true);

    public void Fail(StatusCode code, string detail) => this.Publish(new Status(code, detail), keep: true);

    public void EndStreams() => this.Publish(End, keep: false);

    public async Task ServeAsync(IServerStreamWriter<T> writer, CancellationToken cancellationToken)
    {
        var channel = Channel.CreateUnbounded<object>();
        lock (this.gate)
        {
            this.streams++;
            if (this.current is not null)
            {
                channel.Writer.TryWrite(this.current);
            }

            this.subscribers.Add(channel);
        }

        try
        {
            await foreach (var item in channel.Reader.ReadAllAsync(cancellationToken))
            {
                switch (item)
                {
                    case T response:
                        await writer.WriteAsync(response, cancellationToken);
                        break;
                    case Status status:
                        throw new RpcException(status);
                    default:
                        return;
                }
            }
        }
        finally
        {
            lock (this.gate)
            {
                this.subscribers.Remove(channel);
            }
        }
    }

    private void Publish(object item, bool keep)
    {
        lock (this.gate)
        {
            if (keep)
            {
                this.current = item;
            }

            foreach (var subscriber in this.subscribers)
            {
                subscriber.Writer.TryWrite(item);
            }
        }
    }
}
