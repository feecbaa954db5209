using System.Globalization;

namespace Spiffe.Agent.Commands;

/// <summary>Formats values the way spire-agent's Go output prints them.</summary>
internal static class GoFormat
{
    /// <summary>A time as Go's <c>time.Time</c> prints it in UTC: <c>2025-01-02 03:04:05 +0000 UTC</c>.</summary>
    public static string Time(DateTime value) =>
        value.ToUniversalTime().ToString("yyyy'-'MM'-'dd HH':'mm':'ss '+0000 UTC'", CultureInfo.InvariantCulture);

    /// <summary>A time as Go's <c>time.Time</c> prints it in UTC.</summary>
    public static string Time(DateTimeOffset value) => Time(value.UtcDateTime);

    /// <summary>A duration as Go's <c>time.Duration</c> prints small values: <c>12.345ms</c>, <c>1.5s</c>.</summary>
    public static string Duration(TimeSpan value) =>
        value < TimeSpan.FromSeconds(1)
            ? value.TotalMilliseconds.ToString("0.###", CultureInfo.InvariantCulture) + "ms"
            : value.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + "s";
}
