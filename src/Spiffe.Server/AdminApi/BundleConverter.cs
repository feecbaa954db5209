using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Google.Protobuf;
using Spiffe.Core;
using Spiffe.Server.DataStore;
using Types = Spiffe.Proto.Spire.Types;

namespace Spiffe.Server.AdminApi;

/// <summary>
/// Converts bundles between the API and the datastore. Input authorities are parsed (DER certificates, PKIX public
/// keys with a key ID) so a malformed one is refused before anything is stored. Output honours a
/// <see cref="Types.BundleMask"/> (null = every field; the trust domain is always returned).
/// </summary>
internal static class BundleConverter
{
    /// <summary>Converts a stored bundle.</summary>
    /// <param name="bundle">The stored bundle.</param>
    /// <param name="mask">Which fields to fill in; null = all.</param>
    /// <returns>The API bundle.</returns>
    public static Types.Bundle ToProto(BundleRecord bundle, Types.BundleMask? mask)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        var all = mask is null;
        var proto = new Types.Bundle
        {
            TrustDomain = bundle.TrustDomain.Name,
            RefreshHint = all || mask!.RefreshHint ? bundle.RefreshHint : 0,
            SequenceNumber = all || mask!.SequenceNumber ? bundle.SequenceNumber : 0,
        };
        if (all || mask!.X509Authorities)
        {
            proto.X509Authorities.AddRange(bundle.X509Authorities.Select(a => new Types.X509Certificate { Asn1 = ByteString.CopyFrom(a.Der), Tainted = a.Tainted }));
        }

        if (all || mask!.JwtAuthorities)
        {
            proto.JwtAuthorities.AddRange(bundle.JwtAuthorities.Select(k => new Types.JWTKey
            {
                KeyId = k.KeyId,
                PublicKey = ByteString.CopyFrom(k.PublicKey),
                ExpiresAt = k.ExpiresAt,
                Tainted = k.Tainted,
            }));
        }

        if (all || mask!.WitAuthorities)
        {
            proto.WitAuthorities.AddRange(bundle.WitAuthorities.Select(k => new Types.WITKey
            {
                KeyId = k.KeyId,
                PublicKey = ByteString.CopyFrom(k.PublicKey),
                ExpiresAt = k.ExpiresAt,
                Tainted = k.Tainted,
            }));
        }

        return proto;
    }

    /// <summary>Parses the trust domain of a bundle request.</summary>
    /// <param name="text">A trust domain name or SPIFFE ID.</param>
    /// <returns>The trust domain.</returns>
    /// <exception cref="AdminValidationException">The text is not a trust domain.</exception>
    public static TrustDomain ParseTrustDomain(string text)
    {
        try
        {
            return TrustDomain.Parse(text);
        }
        catch (SpiffeIdException ex)
        {
            throw new AdminValidationException("trust domain argument is not valid: " + ex.Message, ex);
        }
    }

    /// <summary>Converts and checks a requested bundle.</summary>
    /// <param name="proto">The bundle.</param>
    /// <returns>The bundle to store.</returns>
    /// <exception cref="AdminValidationException">The trust domain or an authority is malformed.</exception>
    public static BundleRecord FromProto(Types.Bundle proto)
    {
        ArgumentNullException.ThrowIfNull(proto);
        if (proto.RefreshHint < 0)
        {
            throw new AdminValidationException("refresh_hint must not be negative");
        }

        return new BundleRecord
        {
            TrustDomain = ParseTrustDomain(proto.TrustDomain),
            X509Authorities = X509AuthoritiesFromProto(proto.X509Authorities),
            JwtAuthorities = KeysFromProto(proto.JwtAuthorities.Select(k => (k.KeyId, k.PublicKey, k.ExpiresAt, k.Tainted)), "jwt_authorities"),
            WitAuthorities = KeysFromProto(proto.WitAuthorities.Select(k => (k.KeyId, k.PublicKey, k.ExpiresAt, k.Tainted)), "wit_authorities"),
            RefreshHint = proto.RefreshHint,
            SequenceNumber = proto.SequenceNumber,
        };
    }

    /// <summary>Converts and checks X.509 authorities: each must be a DER certificate.</summary>
    /// <param name="authorities">The authorities.</param>
    /// <returns>The authorities to store.</returns>
    /// <exception cref="AdminValidationException">An authority is not a certificate.</exception>
    public static IReadOnlyList<X509Authority> X509AuthoritiesFromProto(IEnumerable<Types.X509Certificate> authorities)
    {
        ArgumentNullException.ThrowIfNull(authorities);
        var result = new List<X509Authority>();
        foreach (var authority in authorities)
        {
            try
            {
                using var certificate = X509CertificateLoader.LoadCertificate(authority.Asn1.Span);
            }
            catch (CryptographicException ex)
            {
                throw new AdminValidationException($"x509_authorities[{result.Count}]: not a DER certificate: {ex.Message}", ex);
            }

            result.Add(new X509Authority(authority.Asn1.ToByteArray(), authority.Tainted));
        }

        return result;
    }

    /// <summary>Converts and checks JWT authorities: a key ID, unique in the list, and a PKIX public key each.</summary>
    /// <param name="keys">The keys.</param>
    /// <returns>The keys to store.</returns>
    /// <exception cref="AdminValidationException">A key is malformed.</exception>
    public static IReadOnlyList<KeyAuthority> JwtAuthoritiesFromProto(IEnumerable<Types.JWTKey> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        return KeysFromProto(keys.Select(k => (k.KeyId, k.PublicKey, k.ExpiresAt, k.Tainted)), "jwt_authorities");
    }

    /// <summary>Converts and checks WIT authorities, as <see cref="JwtAuthoritiesFromProto"/>.</summary>
    /// <param name="keys">The keys.</param>
    /// <returns>The keys to store.</returns>
    /// <exception cref="AdminValidationException">A key is malformed.</exception>
    public static IReadOnlyList<KeyAuthority> WitAuthoritiesFromProto(IEnumerable<Types.WITKey> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        return KeysFromProto(keys.Select(k => (k.KeyId, k.PublicKey, k.ExpiresAt, k.Tainted)), "wit_authorities");
    }

    private static List<KeyAuthority> KeysFromProto(IEnumerable<(string KeyId, ByteString PublicKey, long ExpiresAt, bool Tainted)> keys, string field)
    {
        var result = new List<KeyAuthority>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (keyId, publicKey, expiresAt, tainted) in keys)
        {
            var where = $"{field}[{result.Count}]";
            if (keyId.Length == 0)
            {
                throw new AdminValidationException(where + ": missing key ID");
            }

            if (!seen.Add(keyId))
            {
                throw new AdminValidationException($"{where}: duplicate key ID \"{keyId}\"");
            }

            try
            {
                _ = PublicKey.CreateFromSubjectPublicKeyInfo(publicKey.Span, out _);
            }
            catch (CryptographicException ex)
            {
                throw new AdminValidationException($"{where}: not a PKIX public key: {ex.Message}", ex);
            }

            result.Add(new KeyAuthority(keyId, publicKey.ToByteArray(), expiresAt, tainted));
        }

        return result;
    }
}
