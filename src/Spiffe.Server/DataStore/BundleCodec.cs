using Google.Protobuf;
using Spiffe.Core;
using Spiffe.Proto.Spire.Types;

namespace Spiffe.Server.DataStore;

/// <summary>Serializes a <see cref="BundleRecord"/> for the <c>bundles.data</c> column (as a <c>spire.api.types.Bundle</c>).</summary>
internal static class BundleCodec
{
    /// <summary>Encodes the bundle.</summary>
    public static byte[] Encode(BundleRecord bundle)
    {
        var proto = new Bundle
        {
            TrustDomain = bundle.TrustDomain.Name,
            RefreshHint = bundle.RefreshHint,
            SequenceNumber = bundle.SequenceNumber,
        };
        proto.X509Authorities.AddRange(bundle.X509Authorities.Select(a => new X509Certificate { Asn1 = ByteString.CopyFrom(a.Der), Tainted = a.Tainted }));
        proto.JwtAuthorities.AddRange(bundle.JwtAuthorities.Select(k => new JWTKey { KeyId = k.KeyId, PublicKey = ByteString.CopyFrom(k.PublicKey), ExpiresAt = k.ExpiresAt, Tainted = k.Tainted }));
        proto.WitAuthorities.AddRange(bundle.WitAuthorities.Select(k => new WITKey { KeyId = k.KeyId, PublicKey = ByteString.CopyFrom(k.PublicKey), ExpiresAt = k.ExpiresAt, Tainted = k.Tainted }));
        return proto.ToByteArray();
    }

    /// <summary>Decodes a bundle written by <see cref="Encode"/>.</summary>
    public static BundleRecord Decode(byte[] data)
    {
        var proto = Bundle.Parser.ParseFrom(data);
        return new BundleRecord
        {
            TrustDomain = TrustDomain.Parse(proto.TrustDomain),
            RefreshHint = proto.RefreshHint,
            SequenceNumber = proto.SequenceNumber,
            X509Authorities = proto.X509Authorities.Select(a => new X509Authority(a.Asn1.ToByteArray(), a.Tainted)).ToArray(),
            JwtAuthorities = proto.JwtAuthorities.Select(k => new KeyAuthority(k.KeyId, k.PublicKey.ToByteArray(), k.ExpiresAt, k.Tainted)).ToArray(),
            WitAuthorities = proto.WitAuthorities.Select(k => new KeyAuthority(k.KeyId, k.PublicKey.ToByteArray(), k.ExpiresAt, k.Tainted)).ToArray(),
        };
    }
}
