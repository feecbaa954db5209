using System.Globalization;
using System.Text.RegularExpressions;

namespace Spiffe.Server.AdminApi;

/// <summary>
/// The time format of <c>ListAgentsRequest.Filter.by_expires_before</c>, Go layout <c>2006-01-02 15:04:05 -0700 -07</c>
/// (what <c>spire-server agent list -expiresBefore</c> sends), e.g. <c>2030-01-02 15:04:05 +0000 +00</c>.
/// </summary>
internal static partial class ExpiresBeforeFormat
{
    /// <summary>The Go layout, for messages.</summary>
    public const string Layout = "2006-01-02 15:04:05 -0700 -07";

    /// <summary>Parses the text.</summary>
    /// <param name="text">The filter value.</param>
    /// <param name="value">The time, when the text is valid.</param>
    /// <returns>Whether the text has the layout and names a real time.</returns>
    public static bool TryParse(string text, out DateTimeOffset value)
    {
        value = default;
        var match = Pattern().Match(text ?? string.Empty);
        if (!match.Success)
        {
            return false;
        }

        var offset = match.Groups["offset"].Value;
        var normalized = match.Groups["time"].Value + " " + offset[..3] + ":" + offset[3..];
        return DateTimeOffset.TryParseExact(normalized, "yyyy-MM-dd HH:mm:ss zzz", CultureInfo.InvariantCulture, DateTimeStyles.None, out value);
    }

    [GeneratedRegex(@"^(?<time>\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}) (?<offset>[+-]\d{4}) [+-]\d{2}$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
