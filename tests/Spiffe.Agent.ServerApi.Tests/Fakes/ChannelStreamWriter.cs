using System.Threading.Channels;
using Grpc.Core;

namespace Spiffe.Agent.ServerApi.Tests.Fakes;

/// <summary>The client's request stream of a fake duplex call.</summary>
internal sealed class ChannelStreamWriter<T> : IClientStreamWriter<T>
{
    private readonly ChannelWriter<T> _writer;

    public ChannelStreamWriter(ChannelWriter<T> writer) => _writer = writer;

    public WriteOptions? WriteOptions { get; set; }

    public Task WriteAsync(T message) => _writer.WriteAsync(message).AsTask();

    public Task CompleteAsync()
    {
        _writer.TryComplete();
        return Task.CompletedTask;
    }
}
