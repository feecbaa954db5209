namespace Spiffe.WorkloadApi.Internal;

/// <summary>
/// The watch retry delay: one second more after each consecutive failure (1 s, 2 s, 3 s …) up to 30 s, back to
/// one second once a message arrives. Not thread-safe; one per watch.
/// </summary>
internal sealed class LinearBackoff
{
    private static readonly TimeSpan Step = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Maximum = TimeSpan.FromSeconds(30);

    private int failures;

    /// <summary>Returns the delay before the next attempt and counts the failure.</summary>
    public TimeSpan Next()
    {
        var delay = Step * (this.failures + 1);
        if (delay < Maximum)
        {
            this.failures++;
            return delay;
        }

        return Maximum;
    }

    /// <summary>Starts over from the shortest delay.</summary>
    public void Reset() => this.failures = 0;
}
