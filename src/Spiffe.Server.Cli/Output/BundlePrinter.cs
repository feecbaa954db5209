using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Spiffe.Core;
using Spiffe.Proto.Spire.Types;
using Spiffe.Server.Cli.Input;

namespace Spiffe.Server.Cli.Output;

/// <summary>
/// Prints bundles in the <c>-format</c> spire-server offers: <c>pem</c> (the X.509 authorities as CERTIFICATE
/// blocks) or <c>spiffe</c> (the SPIFFE bundle JWKS with <c>x509-svid</c>, <c>jwt-svid</c> and <c>wit-svid</c> keys,
/// indented four spaces).
/// </summary>
internal static class BundlePrinter
{
    /// <summary>The <c>pem</c> format.</summary>
    public const string Pem = "pem";

    /// <summary>The <c>spiffe</c> format.</summary>
    public const string Spiffe = "spiffe";

    /// <summary>Checks a <c>-format</c> value.</summary>
    /// <param name="format">The value; empty means <c>pem</c>.</param>
    /// <returns><see cref="Pem"/> or <see cref="Spiffe"/>.</returns>
    /// <exception cref="CliException">The value is neither, in any letter case.</exception>
    public static string ValidateFormat(string? format)
    {
        var lower = string.IsNullOrEmpty(format) ? Pem : format.ToLowerInvariant();
        return lower is Pem or Spiffe ? lower : throw new CliException($"invalid format: \"{format}\"");
    }

    /// <summary>Prints a bundle.</summary>
    /// <param name="writer">Where to print.</param>
    /// <param name="bundle">The bundle.</param>
    /// <param name="format">A value checked by <see cref="ValidateFormat"/>.</param>
    /// <param name="header">Whether to print the starred trust domain banner first (<c>bundle list</c>).</param>
    /// <exception cref="CliException">The bundle holds an authority that cannot be parsed.</exception>
    public static void Print(TextWriter writer, Bundle bundle, string format, bool header)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(bundle);
        if (header)
        {
            writer.WriteLine("****************************************");
            writer.WriteLine("* " + bundle.TrustDomain);
            writer.WriteLine("****************************************");
        }

        if (format == Pem)
        {
            foreach (var authority in bundle.X509Authorities)
            {
                writer.WriteLine(PemEncoding.Write("CERTIFICATE", authority.Asn1.Span));
            }

            return;
        }

        writer.WriteLine(Indent(ToSpiffeBundle(bundle).Marshal()));
    }

    /// <summary>Converts an API bundle to a SPIFFE bundle.</summary>
    /// <param name="bundle">The API bundle.</param>
    /// <returns>The SPIFFE bundle.</returns>
    /// <exception cref="CliException">The trust domain or an authority cannot be parsed.</exception>
    public static SpiffeBundle ToSpiffeBundle(Bundle bundle)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        try
        {
            var x509 = bundle.X509Authorities.Select(a => X509CertificateLoader.LoadCertificate(a.Asn1.Span)).ToList();
            var jwt = bundle.JwtAuthorities.Select(k => KeyValuePair.Create(k.KeyId, PublicKey.CreateFromSubjectPublicKeyInfo(k.PublicKey.Span, out _)));
            var wit = bundle.WitAuthorities.Select(k => KeyValuePair.Create(k.KeyId, PublicKey.CreateFromSubjectPublicKeyInfo(k.PublicKey.Span, out _)));
            return new SpiffeBundle(TrustDomain.Parse(bundle.TrustDomain), x509, jwt, wit)
            {
                RefreshHint = bundle.RefreshHint > 0 ? TimeSpan.FromSeconds(bundle.RefreshHint) : null,
                SequenceNumber = bundle.SequenceNumber > 0 ? bundle.SequenceNumber : null,
            };
        }
        catch (Exception ex) when (ex is CryptographicException or FormatException or ArgumentException)
        {
            throw new CliException($"cannot convert the bundle of \"{bundle.TrustDomain}\": {ex.Message}", ex);
        }
    }

    private static string Indent(byte[] json)
    {
        using var document = JsonDocument.Parse(json);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, IndentSize = 4, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            document.WriteTo(writer);
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
