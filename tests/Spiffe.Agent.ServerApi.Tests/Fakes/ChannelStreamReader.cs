using System.Threading.Channels;
using Grpc.Core;

namespace Spiffe.Agent.ServerApi.Tests.Fakes;

/// <summary>The client's response stream of a fake duplex call; a handler failure surfaces from MoveNext.</summary>
internal sealed class ChannelStreamReader<T> : IAsyncStreamReader<T>
{
    private readonly ChannelReader<T> _reader;

    public ChannelStreamReader(ChannelReader<T> reader) => _reader = reader;

    public T Current { get; private set; } = default!;

    public async Task<bool> MoveNext(CancellationToken cancellationToken)
    {
        if (!await _reader.WaitToReadAsync(cancellationToken))
        {
            return false;
        }

        Current = await _reader.ReadAsync(cancellationToken);
        return true;
    }
}
