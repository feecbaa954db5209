using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Spiffe.Core;

/// <summary>
/// Splits concatenated DER certificates and PEM blocks, and writes both forms. Errors are
/// <see cref="FormatException"/>s for the caller to wrap with its own context.
/// </summary>
internal static class CertificateEncoding
{
    public const string CertificateLabel = "CERTIFICATE";
    public const string PrivateKeyLabel = "PRIVATE KEY";

    /// <summary>Parses DER certificates concatenated with no padding.</summary>
    public static List<X509Certificate2> ParseDerChain(ReadOnlySpan<byte> der)
    {
        var certificates = new List<X509Certificate2>();
        while (!der.IsEmpty)
        {
            int consumed;
            try
            {
                var tag = Asn1Tag.Decode(der, out _);
                if (tag != Asn1Tag.Sequence)
                {
                    throw new FormatException($"certificate {certificates.Count} is not a DER SEQUENCE");
                }

                AsnDecoder.ReadEncodedValue(der, AsnEncodingRules.DER, out _, out _, out consumed);
            }
            catch (AsnContentException ex)
            {
                throw new FormatException($"certificate {certificates.Count} is not valid DER: {ex.Message}", ex);
            }

            certificates.Add(LoadDer(der[..consumed], certificates.Count));
            der = der[consumed..];
        }

        return certificates;
    }

    /// <summary>Parses every block of a PEM text; each block must carry the label <c>CERTIFICATE</c>.</summary>
    public static List<X509Certificate2> ParsePemCertificates(string pem)
    {
        var certificates = new List<X509Certificate2>();
        foreach (var der in ReadPemBlocks(pem, CertificateLabel))
        {
            certificates.Add(LoadDer(der, certificates.Count));
        }

        return certificates;
    }

    /// <summary>Decodes every PEM block of a text, requiring the given label on each.</summary>
    public static List<byte[]> ReadPemBlocks(string pem, string label)
    {
        var blocks = new List<byte[]>();
        var text = pem.AsSpan();
        while (PemEncoding.TryFind(text, out var fields))
        {
            var found = text[fields.Label];
            if (!found.SequenceEqual(label))
            {
                throw new FormatException($"expected PEM block type \"{label}\", got \"{found}\"");
            }

            var der = new byte[fields.DecodedDataLength];
            if (!Convert.TryFromBase64Chars(text[fields.Base64Data], der, out var written) || written != der.Length)
            {
                throw new FormatException("PEM block is not valid base64");
            }

            blocks.Add(der);
            text = text[fields.Location.End..];
        }

        return blocks;
    }

    /// <summary>Concatenates the DER encodings of certificates.</summary>
    public static byte[] ToDer(IEnumerable<X509Certificate2> certificates)
    {
        using var buffer = new MemoryStream();
        foreach (var certificate in certificates)
        {
            buffer.Write(certificate.RawDataMemory.Span);
        }

        return buffer.ToArray();
    }

    /// <summary>Writes certificates as consecutive PEM blocks.</summary>
    public static string ToPem(IEnumerable<X509Certificate2> certificates)
    {
        var builder = new StringBuilder();
        foreach (var certificate in certificates)
        {
            builder.Append(PemEncoding.Write(CertificateLabel, certificate.RawData)).Append('\n');
        }

        return builder.ToString();
    }

    private static X509Certificate2 LoadDer(ReadOnlySpan<byte> der, int index)
    {
        try
        {
            return X509CertificateLoader.LoadCertificate(der);
        }
        catch (CryptographicException ex)
        {
            throw new FormatException($"certificate {index} cannot be parsed: {ex.Message}", ex);
        }
    }
}
