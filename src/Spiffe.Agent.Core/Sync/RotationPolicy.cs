namespace Spiffe.Agent.Core.Sync;

/// <summary>
/// When to replace an SVID (workload X.509, agent SVID, cached JWT-SVID): once the remaining lifetime is at most a
/// random 45–55 % of the whole lifetime (half-life ± 10 %, re-drawn on every check so that many SVIDs issued together
/// do not all renew at the same instant), or when it has expired. Pure: the clock and the randomness are arguments.
/// </summary>
internal static class RotationPolicy
{
    private const double MinimumFraction = 0.45;
    private const double FractionRange = 0.10;

    /// <summary>True when an SVID valid from <paramref name="notBefore"/> to <paramref name="notAfter"/> should be replaced.</summary>
    /// <param name="now">The current time.</param>
    /// <param name="notBefore">Start of validity (X.509 NotBefore, JWT iat).</param>
    /// <param name="notAfter">End of validity (X.509 NotAfter, JWT exp).</param>
    /// <param name="random">The source of the jitter.</param>
    public static bool ShouldRotate(DateTimeOffset now, DateTimeOffset notBefore, DateTimeOffset notAfter, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var remaining = notAfter - now;
        if (remaining <= TimeSpan.Zero)
        {
            return true;
        }

        var lifetime = notAfter - notBefore;
        var fraction = MinimumFraction + (random.NextDouble() * FractionRange);
        return remaining <= lifetime * fraction;
    }
}
