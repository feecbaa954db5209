using System.Text;
using Google.Protobuf;
using Spiffe.Core;
using Spiffe.Proto.Spire.Types;
using Spiffe.Server.Cli.Output;

namespace Spiffe.Server.Cli.Input;

/// <summary>Parses the bundle data <c>bundle set</c> reads, in <c>pem</c> or <c>spiffe</c> format, into an API bundle.</summary>
internal static class BundleParser
{
    /// <summary>Parses bundle data.</summary>
    /// <param name="data">The file contents.</param>
    /// <param name="format">A value checked by <see cref="BundlePrinter.ValidateFormat"/>.</param>
    /// <param name="id">The <c>-id</c> flag: the trust domain's name or SPIFFE ID.</param>
    /// <returns>The bundle, its trust domain as a bare name.</returns>
    /// <exception cref="CliException">The ID or the data cannot be parsed.</exception>
    public static Bundle Parse(string data, string format, string id)
    {
        TrustDomain trustDomain;
        try
        {
            trustDomain = TrustDomain.Parse(id);
        }
        catch (SpiffeIdException ex)
        {
            throw new CliException(ex.Message, ex);
        }

        try
        {
            return format == BundlePrinter.Pem
                ? ToProto(new SpiffeBundle(trustDomain, X509Bundle.Parse(trustDomain, data).X509Authorities, []))
                : ToProto(SpiffeBundle.Parse(trustDomain, Encoding.UTF8.GetBytes(data)));
        }
        catch (BundleException ex)
        {
            throw new CliException("unable to parse bundle data: " + ex.Message, ex);
        }
    }

    private static Bundle ToProto(SpiffeBundle bundle)
    {
        var proto = new Bundle
        {
            TrustDomain = bundle.TrustDomain.Name,
            RefreshHint = (long)(bundle.RefreshHint?.TotalSeconds ?? 0),
            SequenceNumber = bundle.SequenceNumber ?? 0,
        };
        proto.X509Authorities.AddRange(bundle.X509Authorities.Select(c => new X509Certificate { Asn1 = ByteString.CopyFrom(c.RawData) }));
        proto.JwtAuthorities.AddRange(bundle.JwtAuthorities.Select(a => new JWTKey
        {
            KeyId = a.Key,
            PublicKey = ByteString.CopyFrom(a.Value.ExportSubjectPublicKeyInfo()),
        }));
        return proto;
    }
}
