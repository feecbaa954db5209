using Google.Protobuf;
using Spiffe.Proto.Spire.Types;
using Spiffe.Server.DataStore;

namespace Spiffe.Server.Api;

/// <summary><see cref="BundleRecord"/> → <c>spire.api.types.Bundle</c> with an output mask (agent-facing reads).</summary>
internal static class BundleMapping
{
    /// <summary>Maps <paramref name="bundle"/>; <c>trust_domain</c> is always set, other fields per <paramref name="mask"/> (null = all).</summary>
    public static Bundle ToProto(BundleRecord bundle, BundleMask? mask)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        var proto = new Bundle { TrustDomain = bundle.TrustDomain.Name };
        if (mask?.X509Authorities ?? true)
        {
            proto.X509Authorities.AddRange(bundle.X509Authorities.Select(a => new X509Certificate { Asn1 = ByteString.CopyFrom(a.Der), Tainted = a.Tainted }));
        }

        if (mask?.JwtAuthorities ?? true)
        {
            proto.JwtAuthorities.AddRange(bundle.JwtAuthorities.Select(k => new JWTKey
            {
                KeyId = k.KeyId,
                PublicKey = ByteString.CopyFrom(k.PublicKey),
                ExpiresAt = k.ExpiresAt,
                Tainted = k.Tainted,
            }));
        }

        if (mask?.WitAuthorities ?? true)
        {
            proto.WitAuthorities.AddRange(bundle.WitAuthorities.Select(k => new WITKey
            {
                KeyId = k.KeyId,
                PublicKey = ByteString.CopyFrom(k.PublicKey),
                ExpiresAt = k.ExpiresAt,
                Tainted = k.Tainted,
            }));
        }

        if (mask?.RefreshHint ?? true)
        {
            proto.RefreshHint = bundle.RefreshHint;
        }

        if (mask?.SequenceNumber ?? true)
        {
            proto.SequenceNumber = bundle.SequenceNumber;
        }

        return proto;
    }
}
