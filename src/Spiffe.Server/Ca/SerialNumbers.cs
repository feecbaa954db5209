using System.Globalization;
using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Spiffe.Server.Ca;

/// <summary>Certificate serial numbers: random, positive, 16 octets, minimal DER .</summary>
internal static class SerialNumbers
{
    /// <summary>A new random serial as big-endian bytes whose first octet is in 0x01–0x7F (positive, no padding).</summary>
    public static byte[] New()
    {
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        if (serial[0] == 0)
        {
            serial[0] = 1;
        }

        return serial;
    }

    /// <summary>The serial as SPIRE stores it: an unsigned decimal string.</summary>
    public static string ToDecimal(ReadOnlySpan<byte> bigEndian) =>
        new BigInteger(bigEndian, isUnsigned: true, isBigEndian: true).ToString(CultureInfo.InvariantCulture);

    /// <summary>The certificate's serial as an unsigned decimal string.</summary>
    public static string ToDecimal(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return ToDecimal(certificate.SerialNumberBytes.Span);
    }
}
