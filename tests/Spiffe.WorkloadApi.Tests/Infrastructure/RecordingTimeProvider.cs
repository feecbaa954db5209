using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;

namespace Spiffe.WorkloadApi.Tests.Infrastructure;

/// <summary>A <see cref="FakeTimeProvider"/> that reports the due time of every timer created on it (every provider-aware delay).</summary>
internal sealed class RecordingTimeProvider : FakeTimeProvider
{
    private readonly Channel<TimeSpan> dueTimes = Channel.CreateUnbounded<TimeSpan>();

    public RecordingTimeProvider()
    {
    }

    public RecordingTimeProvider(DateTimeOffset start)
        : base(start)
    {
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        this.dueTimes.Writer.TryWrite(dueTime);
        return timer;
    }

    /// <summary>Waits for the next timer to be created and returns its due time.</summary>
    public Task<TimeSpan> NextDelayAsync() => this.dueTimes.Reader.ReadAsync().AsTask().DefaultTimeout();

    /// <summary>Whether a timer was created and not yet taken by <see cref="NextDelayAsync"/>.</summary>
    public bool HasPendingDelay => this.dueTimes.Reader.TryPeek(out _);
}
