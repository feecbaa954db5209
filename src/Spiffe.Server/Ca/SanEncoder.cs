using System.Formats.Asn1;
using System.Security.Cryptography.X509Certificates;
using Spiffe.Core;

namespace Spiffe.Server.Ca;

/// <summary>
/// Encodes the subjectAltName extension directly with <see cref="AsnWriter"/>: the URI is written byte for byte
/// from the validated SPIFFE ID string (never through <see cref="System.Uri"/>, which would add a trailing slash to
/// <c>spiffe://td</c> or rewrite the path).
/// </summary>
internal static class SanEncoder
{
    private const string SubjectAltNameOid = "2.5.29.17";

    /// <summary>A SAN extension with exactly one URI (the SPIFFE ID) and then the DNS names, in order.</summary>
    public static X509Extension Create(SpiffeId id, IEnumerable<string> dnsNames, bool critical = false)
    {
        ArgumentNullException.ThrowIfNull(dnsNames);
        if (id.IsZero)
        {
            throw new ArgumentException("SPIFFE ID is required", nameof(id));
        }

        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteCharacterString(UniversalTagNumber.IA5String, id.ToString(), new Asn1Tag(TagClass.ContextSpecific, 6));
            foreach (var dns in dnsNames)
            {
                writer.WriteCharacterString(UniversalTagNumber.IA5String, dns, new Asn1Tag(TagClass.ContextSpecific, 2));
            }
        }

        return new X509Extension(SubjectAltNameOid, writer.Encode(), critical);
    }

    /// <summary>Reads the URI SANs of a certificate (without <see cref="System.Uri"/>).</summary>
    public static IReadOnlyList<string> ReadUris(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var uris = new List<string>();
        foreach (var extension in certificate.Extensions)
        {
            if (extension.Oid?.Value != SubjectAltNameOid)
            {
                continue;
            }

            var reader = new AsnReader(extension.RawData, AsnEncodingRules.DER);
            var names = reader.ReadSequence();
            while (names.HasData)
            {
                var tag = names.PeekTag();
                if (tag.HasSameClassAndValue(new Asn1Tag(TagClass.ContextSpecific, 6)))
                {
                    uris.Add(names.ReadCharacterString(UniversalTagNumber.IA5String, new Asn1Tag(TagClass.ContextSpecific, 6)));
                }
                else
                {
                    names.ReadEncodedValue();
                }
            }
        }

        return uris;
    }

    /// <summary>The SPIFFE ID of an SVID: its single URI SAN parsed as a SPIFFE ID, or <see langword="null"/>.</summary>
    public static SpiffeId? ReadSpiffeId(X509Certificate2 certificate)
    {
        var uris = ReadUris(certificate);
        return uris.Count == 1 && SpiffeId.TryParse(uris[0], out var id) ? id : null;
    }
}
