using System.Formats.Asn1;
using System.Security.Cryptography.X509Certificates;

namespace Spiffe.Agent.ServerApi.Transport;

/// <summary>Reads the URI names of a certificate's SubjectAltName extension, byte for byte.</summary>
internal static class UriSans
{
    private const string SubjectAlternativeNameOid = "2.5.29.17";
    private static readonly Asn1Tag s_uniformResourceIdentifierTag = new(TagClass.ContextSpecific, 6);

    /// <summary>Returns every URI SAN in order (empty when there is no SAN extension).</summary>
    /// <exception cref="AsnContentException">The extension is malformed.</exception>
    public static IReadOnlyList<string> Read(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var extension = certificate.Extensions[SubjectAlternativeNameOid];
        if (extension is null)
        {
            return [];
        }

        var uris = new List<string>();
        var names = new AsnReader(extension.RawData, AsnEncodingRules.DER).ReadSequence();
        while (names.HasData)
        {
            var tag = names.PeekTag();
            if (tag.HasSameClassAndValue(s_uniformResourceIdentifierTag))
            {
                uris.Add(names.ReadCharacterString(UniversalTagNumber.IA5String, s_uniformResourceIdentifierTag));
            }
            else
            {
                names.ReadEncodedValue();
            }
        }

        return uris;
    }
}
