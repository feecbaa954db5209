using System.Globalization;

namespace Spiffe.Server.Cli.Output;

/// <summary>Formats Unix times the way Go's <c>time.Time.String()</c> prints a UTC time.</summary>
internal static class GoTime
{
    /// <summary>Formats Unix seconds as <c>2006-01-02 15:04:05 +0000 UTC</c>.</summary>
    /// <param name="unixSeconds">The time.</param>
    /// <returns>The text.</returns>
    public static string FormatUtc(long unixSeconds) =>
        DateTimeOffset.FromUnixTimeSeconds(unixSeconds).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " +0000 UTC";
}
