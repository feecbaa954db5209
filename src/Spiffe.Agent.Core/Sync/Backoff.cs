namespace Spiffe.Agent.Core.Sync;

/// <summary>
/// Exponential backoff as SPIRE's agent uses it: each delay is the current interval ± 10 % jitter, then the interval
/// grows × 1.5 up to a maximum. Not thread-safe; one instance per loop.
/// </summary>
internal sealed class Backoff
{
    private const double Multiplier = 1.5;
    private const double Jitter = 0.1;

    private readonly TimeSpan _initial;
    private readonly TimeSpan _maximum;
    private readonly Random _random;
    private TimeSpan _current;

    /// <summary>Creates a backoff starting at <paramref name="initial"/> and growing to <paramref name="maximum"/>.</summary>
    public Backoff(TimeSpan initial, TimeSpan maximum, Random random)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(initial, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(maximum, initial);
        ArgumentNullException.ThrowIfNull(random);
        _initial = initial;
        _maximum = maximum;
        _random = random;
        _current = initial;
    }

    /// <summary>Returns the next delay and grows the interval.</summary>
    public TimeSpan Next()
    {
        var delay = _current * (1 + (Jitter * ((2 * _random.NextDouble()) - 1)));
        var grown = _current * Multiplier;
        _current = grown > _maximum ? _maximum : grown;
        return delay;
    }

    /// <summary>Starts again from the initial interval (after a success).</summary>
    public void Reset() => _current = _initial;
}
