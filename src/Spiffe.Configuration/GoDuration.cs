namespace Spiffe.Configuration;

/// <summary>
/// Go's <c>time.ParseDuration</c>, which SPIRE uses for every duration setting: a signed sequence of decimal numbers,
/// each with an optional fraction and a unit (<c>ns</c>, <c>us</c>/<c>µs</c>, <c>ms</c>, <c>s</c>, <c>m</c>,
/// <c>h</c>), such as <c>"300ms"</c>, <c>"-1.5h"</c> or <c>"1h30m"</c>; a bare <c>"0"</c> is the only unitless form.
/// Like Go, the total must fit in 64-bit nanoseconds (about 292 years).
/// </summary>
internal static class GoDuration
{
    private const ulong MaxMagnitude = 1UL << 63;

    /// <summary>Parses a Go duration. Precision below <see cref="TimeSpan"/>'s 100 ns tick is truncated.</summary>
    /// <returns><see langword="true"/> if <paramref name="text"/> is a valid Go duration.</returns>
    public static bool TryParse(string text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        var s = text.AsSpan();
        var negative = false;
        if (s.Length > 0 && s[0] is '-' or '+')
        {
            negative = s[0] == '-';
            s = s[1..];
        }

        if (s is "0")
        {
            return true;
        }

        if (s.IsEmpty)
        {
            return false;
        }

        ulong total = 0;
        while (!s.IsEmpty)
        {
            if (!TryParseComponent(ref s, out var nanoseconds) || nanoseconds > MaxMagnitude - total)
            {
                return false;
            }

            total += nanoseconds;
        }

        if (!negative && total == MaxMagnitude)
        {
            return false;
        }

        var ticks = (long)(total / 100);
        value = TimeSpan.FromTicks(negative ? -ticks : ticks);
        return true;
    }

    private static bool TryParseComponent(ref ReadOnlySpan<char> s, out ulong nanoseconds)
    {
        nanoseconds = 0;
        var digitsBefore = s.Length;
        if (!TryReadInteger(ref s, out var whole))
        {
            return false;
        }

        var hasWhole = digitsBefore != s.Length;
        ulong fraction = 0;
        var scale = 1.0;
        var hasFraction = false;
        if (!s.IsEmpty && s[0] == '.')
        {
            s = s[1..];
            var digitsAfter = s.Length;
            ReadFraction(ref s, out fraction, out scale);
            hasFraction = digitsAfter != s.Length;
        }

        if (!hasWhole && !hasFraction)
        {
            return false;
        }

        var unitLength = 0;
        while (unitLength < s.Length && s[unitLength] != '.' && !char.IsAsciiDigit(s[unitLength]))
        {
            unitLength++;
        }

        var unit = UnitNanoseconds(s[..unitLength]);
        s = s[unitLength..];
        if (unit == 0 || whole > MaxMagnitude / unit)
        {
            return false;
        }

        nanoseconds = whole * unit;
        if (fraction > 0)
        {
            nanoseconds += (ulong)(fraction * (unit / scale));
        }

        return nanoseconds <= MaxMagnitude;
    }

    private static bool TryReadInteger(ref ReadOnlySpan<char> s, out ulong value)
    {
        value = 0;
        var i = 0;
        for (; i < s.Length && char.IsAsciiDigit(s[i]); i++)
        {
            if (value > MaxMagnitude / 10)
            {
                return false;
            }

            value = (value * 10) + (ulong)(s[i] - '0');
            if (value > MaxMagnitude)
            {
                return false;
            }
        }

        s = s[i..];
        return true;
    }

    private static void ReadFraction(ref ReadOnlySpan<char> s, out ulong value, out double scale)
    {
        value = 0;
        scale = 1;
        var overflow = false;
        var i = 0;
        for (; i < s.Length && char.IsAsciiDigit(s[i]); i++)
        {
            if (overflow || value > (MaxMagnitude - 1) / 10)
            {
                overflow = true;
                continue;
            }

            var next = (value * 10) + (ulong)(s[i] - '0');
            if (next > MaxMagnitude)
            {
                overflow = true;
                continue;
            }

            value = next;
            scale *= 10;
        }

        s = s[i..];
    }

    private static ulong UnitNanoseconds(ReadOnlySpan<char> unit) => unit switch
    {
        "ns" => 1,
        "us" or "\u00B5s" or "\u03BCs" => 1_000,
        "ms" => 1_000_000,
        "s" => 1_000_000_000,
        "m" => 60_000_000_000,
        "h" => 3_600_000_000_000,
        _ => 0,
    };
}
