using System.Buffers.Text;

namespace Spiffe.Core;

/// <summary>
/// Strict base64 decoding for JOSE: base64url without padding for JWS segments and JWK members, standard padded
/// base64 for <c>x5c</c>. The BCL decoders tolerate whitespace and mixed alphabets, so the alphabet is checked first.
/// </summary>
internal static class Base64Strict
{
    /// <summary>Decodes unpadded base64url, or throws <see cref="FormatException"/> naming <paramref name="what"/>.</summary>
    public static byte[] DecodeUrl(ReadOnlySpan<char> text, string what)
    {
        foreach (var c in text)
        {
            if (c == '=')
            {
                throw new FormatException(what + " must be base64url without padding");
            }

            if (!IsUrlChar(c))
            {
                throw new FormatException(what + " is not base64url");
            }
        }

        if (text.Length % 4 == 1)
        {
            throw new FormatException(what + " has an invalid base64url length");
        }

        return Base64Url.DecodeFromChars(text);
    }

    /// <summary>Encodes as unpadded base64url.</summary>
    public static string EncodeUrl(ReadOnlySpan<byte> data) => Base64Url.EncodeToString(data);

    /// <summary>Decodes standard padded base64 (RFC 4648 §4), or throws <see cref="FormatException"/> naming <paramref name="what"/>.</summary>
    public static byte[] DecodeStandard(string text, string what)
    {
        foreach (var c in text)
        {
            if (c is '-' or '_')
            {
                throw new FormatException(what + " must be standard base64, not base64url");
            }

            if (!IsStandardChar(c) && c != '=')
            {
                throw new FormatException(what + " is not base64");
            }
        }

        var padding = text.Length - text.TrimEnd('=').Length;
        if (text.Length % 4 != 0 || padding > 2 || text.AsSpan(0, text.Length - padding).Contains('='))
        {
            throw new FormatException(what + " must be padded standard base64");
        }

        return Convert.FromBase64String(text);
    }

    private static bool IsUrlChar(char c) => c is >= 'A' and <= 'Z' or >= 'a' and <= 'z' or >= '0' and <= '9' or '-' or '_';

    private static bool IsStandardChar(char c) => c is >= 'A' and <= 'Z' or >= 'a' and <= 'z' or >= '0' and <= '9' or '+' or '/';
}
