using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Spiffe.Core;

namespace Spiffe.Server.AgentFacing;

/// <summary>
/// Checks the public key an agent asks a WIT-SVID to bind: PKIX (SubjectPublicKeyInfo) DER of an EC key on P-256 or
/// P-384, or of an RSA key of at least 2048 bits, whose JOSE <c>signing_algorithm</c> fits it (ES256↔P-256,
/// ES384↔P-384, RS*/PS*↔RSA).
/// </summary>
internal static class WitPublicKeys
{
    private const string EcOid = "1.2.840.10045.2.1";
    private const string RsaOid = "1.2.840.113549.1.1.1";
    private const string P256Oid = "1.2.840.10045.3.1.7";
    private const string P384Oid = "1.3.132.0.34";

    /// <summary>The confirmation key (<c>cnf.jwk</c>) for <paramref name="publicKeyDer"/> and <paramref name="algorithm"/>.</summary>
    /// <param name="publicKeyDer">PKIX DER.</param>
    /// <param name="algorithm">The JOSE algorithm the workload will sign proofs with.</param>
    /// <returns>The confirmation key.</returns>
    /// <exception cref="ArgumentException">The key is malformed or of an unsupported type or size, or the algorithm does not fit it.</exception>
    public static WitConfirmationKey Confirmation(ReadOnlySpan<byte> publicKeyDer, string algorithm)
    {
        ArgumentNullException.ThrowIfNull(algorithm);
        PublicKey key;
        try
        {
            key = PublicKey.CreateFromSubjectPublicKeyInfo(publicKeyDer, out var read);
            if (read != publicKeyDer.Length)
            {
                throw new ArgumentException("malformed public key: trailing data after the SubjectPublicKeyInfo");
            }

            RequireSupported(key);
        }
        catch (CryptographicException ex)
        {
            throw new ArgumentException("malformed public key: " + ex.Message, ex);
        }

        try
        {
            return WitConfirmationKey.Create(key, algorithm);
        }
        catch (ArgumentException ex)
        {
            throw new ArgumentException($"signing algorithm \"{algorithm}\" cannot be used with the public key: {ex.Message}", ex);
        }
    }

    private static void RequireSupported(PublicKey key)
    {
        switch (key.Oid.Value)
        {
            case EcOid:
            {
                using var ec = key.GetECDsaPublicKey() ?? throw new ArgumentException("malformed public key: not an EC key");
                var curve = ec.ExportParameters(false).Curve.Oid.Value;
                if (curve is not (P256Oid or P384Oid))
                {
                    throw new ArgumentException("unsupported public key: EC keys must be on P-256 or P-384");
                }

                break;
            }

            case RsaOid:
            {
                using var rsa = key.GetRSAPublicKey() ?? throw new ArgumentException("malformed public key: not an RSA key");
                if (rsa.KeySize < WitConfirmationKey.MinimumRsaKeySize)
                {
                    throw new ArgumentException($"unsupported public key: RSA keys must have at least {WitConfirmationKey.MinimumRsaKeySize} bits, this one has {rsa.KeySize}");
                }

                break;
            }

            default:
                throw new ArgumentException("unsupported public key: only EC (P-256, P-384) and RSA keys are accepted");
        }
    }
}
