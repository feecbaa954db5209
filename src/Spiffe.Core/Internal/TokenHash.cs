using System.Security.Cryptography;
using System.Text;

namespace Spiffe.Core;

/// <summary>
/// The token hashes of the WPT (<c>wth</c>, <c>ath</c>, <c>tth</c>, <c>oth</c> values): base64url without padding of
/// the SHA-256 of the token's ASCII bytes.
/// </summary>
internal static class TokenHash
{
    /// <summary>Whether every character is ASCII (U+0000 to U+007F), as a hashed token's must be.</summary>
    public static bool IsAscii(string value) => Ascii.IsValid(value);

    /// <summary>Hashes an ASCII token; the caller has checked <see cref="IsAscii"/>.</summary>
    public static string Of(string token) => Base64Strict.EncodeUrl(SHA256.HashData(Encoding.ASCII.GetBytes(token)));

    /// <summary>Hashes an ASCII token, or returns null when it has a non-ASCII character (it then matches no hash).</summary>
    public static string? OfOrNull(string token) => IsAscii(token) ? Of(token) : null;

    /// <summary>Removes leading and trailing spaces and tabs, as <c>oth</c> hashing of a header field value requires.</summary>
    public static string TrimHeaderValue(string value) => value.Trim(' ', '\t');
}
