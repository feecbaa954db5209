using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Spiffe.Agent.Core.Server;
using Spiffe.Core;
using ProtoBundle = Spiffe.Proto.Spire.Types.Bundle;

namespace Spiffe.Agent.ServerApi.Mapping;

/// <summary>Maps server bundles (X.509, JWT and WIT authorities) to <see cref="ServerBundle"/>.</summary>
internal static class BundleMapper
{
    /// <summary>Maps a bundle; the trust domain must be the expected one.</summary>
    /// <exception cref="SpireServerException">The bundle is malformed (status <c>Internal</c>).</exception>
    public static ServerBundle Map(ProtoBundle bundle, TrustDomain expected)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        if (!TrustDomain.TryParse(bundle.TrustDomain, out var trustDomain) || trustDomain != expected)
        {
            throw Malformed($"bundle is for trust domain \"{bundle.TrustDomain}\", expected \"{expected}\"");
        }

        try
        {
            var roots = bundle.X509Authorities
                .Select(authority => X509CertificateLoader.LoadCertificate(authority.Asn1.Span))
                .ToList();
            var keys = bundle.JwtAuthorities
                .Select(key => new KeyValuePair<string, PublicKey>(key.KeyId, PublicKey.CreateFromSubjectPublicKeyInfo(key.PublicKey.Span, out _)))
                .ToList();
            var witKeys = bundle.WitAuthorities
                .Select(key => new KeyValuePair<string, PublicKey>(key.KeyId, PublicKey.CreateFromSubjectPublicKeyInfo(key.PublicKey.Span, out _)))
                .ToList();
            return new ServerBundle(new X509Bundle(trustDomain, roots), new JwtBundle(trustDomain, keys), bundle.SequenceNumber)
            {
                Wit = witKeys.Count > 0 ? new WitBundle(trustDomain, witKeys) : null,
            };
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException)
        {
            throw Malformed($"bundle for trust domain \"{trustDomain}\" is malformed: {ex.Message}", ex);
        }
    }

    /// <summary>Parses a DER certificate chain from the server; malformed input is a server error.</summary>
    public static IReadOnlyList<X509Certificate2> MapChain(IEnumerable<Google.Protobuf.ByteString> chain)
    {
        ArgumentNullException.ThrowIfNull(chain);
        try
        {
            var certificates = chain.Select(der => X509CertificateLoader.LoadCertificate(der.Span)).ToList();
            return certificates.Count > 0 ? certificates : throw Malformed("the server returned an empty certificate chain");
        }
        catch (CryptographicException ex)
        {
            throw Malformed("the server returned a malformed certificate: " + ex.Message, ex);
        }
    }

    private static SpireServerException Malformed(string message, Exception? inner = null) =>
        new(ServerStatusCode.Internal, message, innerException: inner);
}
