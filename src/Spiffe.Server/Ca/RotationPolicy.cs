namespace Spiffe.Server.Ca;

/// <summary>
/// CA and signing-key rotation as pure functions of the current generation's validity and <c>now</c> (SPIRE's
/// schedule): the next generation is prepared (and published) at half of the current one's lifetime, and activated
/// when a sixth of the lifetime remains (at most seven days before expiry). With no usable current generation the
/// next one is prepared and activated at once.
/// </summary>
internal static class RotationPolicy
{
    private static readonly TimeSpan ActivationCap = TimeSpan.FromDays(7);

    /// <summary>When the next generation should be prepared.</summary>
    public static DateTimeOffset PreparationTime(DateTimeOffset notBefore, DateTimeOffset notAfter) =>
        notBefore + ((notAfter - notBefore) / 2);

    /// <summary>When the next generation should take over.</summary>
    public static DateTimeOffset ActivationTime(DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        var threshold = (notAfter - notBefore) / 6;
        return notAfter - (threshold > ActivationCap ? ActivationCap : threshold);
    }

    /// <summary>Decides the next step.</summary>
    /// <param name="current">The active generation's validity, or null when there is none usable.</param>
    /// <param name="hasNext">Whether a prepared generation exists.</param>
    /// <param name="now">The time.</param>
    public static RotationStep Decide((DateTimeOffset NotBefore, DateTimeOffset NotAfter)? current, bool hasNext, DateTimeOffset now)
    {
        if (current is not { } c || now >= c.NotAfter)
        {
            return hasNext ? RotationStep.ActivateNext : RotationStep.PrepareNext;
        }

        if (!hasNext)
        {
            return now >= PreparationTime(c.NotBefore, c.NotAfter) ? RotationStep.PrepareNext : RotationStep.None;
        }

        return now >= ActivationTime(c.NotBefore, c.NotAfter) ? RotationStep.ActivateNext : RotationStep.None;
    }
}
