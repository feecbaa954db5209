using System.Text;

namespace Spiffe.Protos.Tests;

/// <summary>
/// Builds an expected wire encoding from hand-written parts, so tests spell out every tag and
/// length byte themselves: an <see cref="int"/> is one byte (0–255), a <see cref="string"/> is its
/// UTF-8 bytes, a <see cref="byte"/> array is copied as is.
/// </summary>
internal static class WireBytes
{
    public static byte[] Of(params object[] parts)
    {
        var result = new List<byte>();
        foreach (var part in parts)
        {
            switch (part)
            {
                case int b:
                    result.Add(checked((byte)b));
                    break;
                case string s:
                    result.AddRange(Encoding.UTF8.GetBytes(s));
                    break;
                case byte[] raw:
                    result.AddRange(raw);
                    break;
                default:
                    throw new ArgumentException($"unsupported part type {part.GetType()}", nameof(parts));
            }
        }

        return [.. result];
    }
}
