using Google.Protobuf;
using Spiffe.Core;
using Spiffe.Proto.Spire.Types;
using Spiffe.Server.Api;
using Spiffe.Server.Ca;

namespace Spiffe.Server.AgentFacing;

/// <summary>Signed credentials → wire types.</summary>
internal static class SvidMapping
{
    /// <summary>An X509-SVID message.</summary>
    public static X509SVID ToProto(X509SvidResult svid, SpiffeId id, string hint)
    {
        ArgumentNullException.ThrowIfNull(svid);
        var proto = new X509SVID { Id = ProtoIds.ToProto(id), ExpiresAt = svid.ExpiresAt.ToUnixTimeSeconds(), Hint = hint ?? string.Empty };
        proto.CertChain.AddRange(svid.Chain.Select(ByteString.CopyFrom));
        return proto;
    }
}
