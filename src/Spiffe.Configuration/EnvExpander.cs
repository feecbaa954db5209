using System.Text;

namespace Spiffe.Configuration;

/// <summary>
/// SPIRE's <c>-expandEnv</c>: replaces <c>$VAR</c> and <c>${VAR}</c> in the raw file text before parsing, with Go's
/// <c>os.ExpandEnv</c> rules. An unset variable expands to the empty string; <c>$</c> not followed by a name is kept;
/// <c>${}</c> and an unclosed <c>${</c> are dropped.
/// </summary>
internal static class EnvExpander
{
    /// <summary>Expands variables in <paramref name="text"/> using <paramref name="lookup"/> (null means unset).</summary>
    public static string Expand(string text, Func<string, string?> lookup)
    {
        var result = new StringBuilder(text.Length);
        var copied = 0;
        for (var i = 0; i < text.Length - 1; i++)
        {
            if (text[i] != '$')
            {
                continue;
            }

            result.Append(text, copied, i - copied);
            var (name, width) = ReadName(text.AsSpan(i + 1));
            if (name.Length > 0)
            {
                result.Append(lookup(name));
            }
            else if (width == 0)
            {
                result.Append('$');
            }

            i += width;
            copied = i + 1;
        }

        return result.Append(text, copied, text.Length - copied).ToString();
    }

    private static (string Name, int Width) ReadName(ReadOnlySpan<char> s)
    {
        if (s[0] == '{')
        {
            if (s.Length > 2 && IsSpecial(s[1]) && s[2] == '}')
            {
                return (s[1].ToString(), 3);
            }

            var close = s.IndexOf('}');
            return close switch
            {
                < 0 => (string.Empty, 1),
                1 => (string.Empty, 2),
                _ => (s[1..close].ToString(), close + 1),
            };
        }

        if (IsSpecial(s[0]))
        {
            return (s[0].ToString(), 1);
        }

        var length = 0;
        while (length < s.Length && (char.IsAsciiLetterOrDigit(s[length]) || s[length] == '_'))
        {
            length++;
        }

        return (s[..length].ToString(), length);
    }

    private static bool IsSpecial(char c) => c is '*' or '#' or '$' or '@' or '!' or '?' or '-' || char.IsAsciiDigit(c);
}
