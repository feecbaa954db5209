using System.Threading.Channels;
using Spiffe.Agent.Core.Attestation;
using Spiffe.Agent.Core.Workload;

namespace Spiffe.Agent.Endpoints.Tests.Infrastructure;

/// <summary>
/// A subscription whose channel delivers every published update in order (a stricter variant of latest-wins, so
/// that tests can tell which updates the endpoint turned into messages).
/// </summary>
internal sealed class FakeSubscription : IWorkloadSubscription
{
    private readonly Channel<WorkloadUpdate> _channel = Channel.CreateUnbounded<WorkloadUpdate>();
    private readonly Action<FakeSubscription> _onDispose;
    private int _disposed;

    public FakeSubscription(SelectorSet selectors, Action<FakeSubscription> onDispose)
    {
        Selectors = selectors;
        _onDispose = onDispose;
    }

    public SelectorSet Selectors { get; }

    public ChannelReader<WorkloadUpdate> Updates => _channel.Reader;

    public void Push(WorkloadUpdate update) => _channel.Writer.TryWrite(update);

    public void Complete(Exception? error = null) => _channel.Writer.TryComplete(error);

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _channel.Writer.TryComplete();
            _onDispose(this);
        }
    }
}
