using System.Numerics;
using System.Security.Cryptography;

namespace Spiffe.Server.AgentFacing;

/// <summary>
/// RSASSA-PSS (SHA-256, MGF1-SHA-256) verification with the salt length recovered from the signature (RFC 8017
/// §9.1.2), as Go's <c>rsa.VerifyPSS</c> with <c>PSSSaltLengthAuto</c> does: Go agents sign with the maximum salt
/// length, .NET agents with the digest length; both verify here.
/// </summary>
internal static class PssVerifier
{
    /// <summary>Verifies <paramref name="signature"/> over the SHA-256 <paramref name="digest"/>.</summary>
    public static bool Verify(RSA key, ReadOnlySpan<byte> digest, ReadOnlySpan<byte> signature)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.VerifyHash(digest, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pss))
        {
            return true;
        }

        var parameters = key.ExportParameters(false);
        var n = new BigInteger(parameters.Modulus, isUnsigned: true, isBigEndian: true);
        var e = new BigInteger(parameters.Exponent, isUnsigned: true, isBigEndian: true);
        var k = parameters.Modulus!.Length;
        if (signature.Length != k || digest.Length != 32)
        {
            return false;
        }

        var s = new BigInteger(signature, isUnsigned: true, isBigEndian: true);
        if (s >= n)
        {
            return false;
        }

        var modBits = (int)n.GetBitLength();
        var emBits = modBits - 1;
        var emLen = (emBits + 7) / 8;
        var m = BigInteger.ModPow(s, e, n).ToByteArray(isUnsigned: true, isBigEndian: true);
        if (m.Length > emLen)
        {
            return false;
        }

        var em = new byte[emLen];
        m.CopyTo(em, emLen - m.Length);
        const int hLen = 32;
        if (emLen < hLen + 2 || em[^1] != 0xBC)
        {
            return false;
        }

        var dbLen = emLen - hLen - 1;
        var maskedDb = em.AsSpan(0, dbLen);
        var h = em.AsSpan(dbLen, hLen);
        var unusedBits = (8 * emLen) - emBits;
        var topMask = (byte)(0xFF >> unusedBits);
        if ((maskedDb[0] & ~topMask) != 0)
        {
            return false;
        }

        var db = Mgf1(h, dbLen);
        for (var i = 0; i < dbLen; i++)
        {
            db[i] ^= maskedDb[i];
        }

        db[0] &= topMask;
        var separator = Array.IndexOf(db, (byte)0x01);
        if (separator < 0 || db.AsSpan(0, separator).ContainsAnyExcept((byte)0))
        {
            return false;
        }

        var salt = db.AsSpan(separator + 1);
        var mPrime = new byte[8 + hLen + salt.Length];
        digest.CopyTo(mPrime.AsSpan(8));
        salt.CopyTo(mPrime.AsSpan(8 + hLen));
        return CryptographicOperations.FixedTimeEquals(SHA256.HashData(mPrime), h);
    }

    private static byte[] Mgf1(ReadOnlySpan<byte> seed, int length)
    {
        var output = new byte[length];
        var input = new byte[seed.Length + 4];
        seed.CopyTo(input);
        var offset = 0;
        for (uint counter = 0; offset < length; counter++)
        {
            input[^4] = (byte)(counter >> 24);
            input[^3] = (byte)(counter >> 16);
            input[^2] = (byte)(counter >> 8);
            input[^1] = (byte)counter;
            var block = SHA256.HashData(input);
            var take = Math.Min(block.Length, length - offset);
            block.AsSpan(0, take).CopyTo(output.AsSpan(offset));
            offset += take;
        }

        return output;
    }
}
