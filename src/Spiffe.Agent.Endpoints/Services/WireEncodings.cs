using System.Runtime.CompilerServices;
using Google.Protobuf;
using Spiffe.Core;

namespace Spiffe.Agent.Endpoints.Services;

/// <summary>
/// Wire forms of SVIDs and bundles, computed once per immutable instance: the cache hands out the same
/// <see cref="X509Svid"/> and bundle objects until they change, so streams and repeated calls reuse the bytes
/// instead of re-exporting keys and re-encoding certificates for every message.
/// </summary>
internal static class WireEncodings
{
    private static readonly ConditionalWeakTable<X509Svid, EncodedSvid> Svids = new();
    private static readonly ConditionalWeakTable<X509Bundle, ByteString> X509Bundles = new();
    private static readonly ConditionalWeakTable<JwtBundle, ByteString> JwtBundles = new();

    /// <summary>The concatenated DER chain (leaf first) and the PKCS#8 DER private key.</summary>
    public static EncodedSvid Encode(X509Svid svid) =>
        Svids.GetValue(svid, static s =>
        {
            var (certificates, key) = s.Marshal();
            return new EncodedSvid(ByteString.CopyFrom(certificates), ByteString.CopyFrom(key));
        });

    /// <summary>The bundle's X.509 authorities as concatenated DER.</summary>
    public static ByteString Encode(X509Bundle bundle) =>
        X509Bundles.GetValue(bundle, static b => ByteString.CopyFrom(b.Marshal()));

    /// <summary>The bundle as a plain RFC 7517 JWKS (UTF-8 JSON; every key has <c>kid</c>; no <c>use</c>, no SPIFFE members).</summary>
    public static ByteString Encode(JwtBundle bundle) =>
        JwtBundles.GetValue(bundle, static b => ByteString.CopyFrom(b.Marshal()));
}
