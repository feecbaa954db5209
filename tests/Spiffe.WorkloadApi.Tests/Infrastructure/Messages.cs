using Google.Protobuf;
using Spiffe.Core;
using Spiffe.Testing;
using Spiffe.WorkloadApi.Proto;

namespace Spiffe.WorkloadApi.Tests.Infrastructure;

/// <summary>Builds Workload API messages from test certificates, keys and bundles.</summary>
internal static class Messages
{
    public static X509SVID X509Svid(SpiffeId id, TestX509Svid material, TestCa ca, string hint = "") => new()
    {
        SpiffeId = id.ToString(),
        X509Svid = ByteString.CopyFrom(material.CertificatesDer),
        X509SvidKey = ByteString.CopyFrom(material.PrivateKeyPkcs8),
        Bundle = ByteString.CopyFrom(ca.RootCertificate.RawData),
        Hint = hint,
    };

    public static X509SVIDResponse X509SvidResponse(params X509SVID[] svids)
    {
        var response = new X509SVIDResponse();
        response.Svids.AddRange(svids);
        return response;
    }

    public static X509BundlesResponse X509Bundles(params TestCa[] authorities)
    {
        var response = new X509BundlesResponse();
        foreach (var ca in authorities)
        {
            response.Bundles.Add(ca.TrustDomain.IdString, ByteString.CopyFrom(ca.RootCertificate.RawData));
        }

        return response;
    }

    public static JWTBundlesResponse JwtBundles(params JwtBundle[] bundles)
    {
        var response = new JWTBundlesResponse();
        foreach (var bundle in bundles)
        {
            response.Bundles.Add(bundle.TrustDomain.IdString, ByteString.CopyFrom(bundle.Marshal()));
        }

        return response;
    }

    public static JWTSVIDResponse JwtSvids(params (SpiffeId Id, string Token, string Hint)[] svids)
    {
        var response = new JWTSVIDResponse();
        foreach (var (id, token, hint) in svids)
        {
            response.Svids.Add(new JWTSVID { SpiffeId = id.ToString(), Svid = token, Hint = hint });
        }

        return response;
    }
}
