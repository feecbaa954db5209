using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Spiffe.Core;

namespace Spiffe.Agent.ServerApi.Attestation;

/// <summary>
/// Builds the PKCS#10 requests the agent sends: subject <c>C=US, O=SPIRE</c> (PrintableStrings, as Go encodes them), signed with the new key, and for
/// workload SVIDs a URI SAN with the entry's SPIFFE ID (the server uses only the public key, as SPIRE does).
/// </summary>
internal static class CertificateSigningRequests
{
    private const string SubjectAlternativeNameOid = "2.5.29.17";
    private static readonly Asn1Tag s_uniformResourceIdentifierTag = new(TagClass.ContextSpecific, 6);

    /// <summary>Returns the DER CSR for <paramref name="key"/>, with a URI SAN when <paramref name="uriSan"/> is set.</summary>
    /// <exception cref="ArgumentException">The key is neither EC nor RSA.</exception>
    public static byte[] Create(AsymmetricAlgorithm key, SpiffeId? uriSan)
    {
        ArgumentNullException.ThrowIfNull(key);
        var subject = BuildSubject();
        var request = key switch
        {
            ECDsa ecdsa => new CertificateRequest(subject, ecdsa, HashFor(ecdsa)),
            RSA rsa => new CertificateRequest(subject, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
            _ => throw new ArgumentException("the key must be ECDSA or RSA", nameof(key)),
        };

        if (uriSan is { } id)
        {
            request.CertificateExtensions.Add(new X509Extension(SubjectAlternativeNameOid, EncodeUriSan(id.ToString()), critical: false));
        }

        return request.CreateSigningRequest();
    }

    /// <summary>
    /// Encodes a SubjectAltName extension value holding exactly one uniformResourceIdentifier, byte for byte from
    /// the given (already validated) string, without URI normalisation.
    /// </summary>
    internal static byte[] EncodeUriSan(string uri)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteCharacterString(UniversalTagNumber.IA5String, uri, s_uniformResourceIdentifierTag);
        }

        return writer.Encode();
    }

    private static X500DistinguishedName BuildSubject()
    {
        // The builder encodes the RDNs in reverse order of the calls; Go's pkix.Name puts C before O.
        var builder = new X500DistinguishedNameBuilder();
        builder.Add("2.5.4.10", "SPIRE", UniversalTagNumber.PrintableString);
        builder.AddCountryOrRegion("US");
        return builder.Build();
    }

    private static HashAlgorithmName HashFor(ECDsa key) => key.KeySize switch
    {
        > 384 => HashAlgorithmName.SHA512,
        > 256 => HashAlgorithmName.SHA384,
        _ => HashAlgorithmName.SHA256,
    };
}
