using Spiffe.Core;
using Spiffe.Proto.Spire.Types;

namespace Spiffe.Server.Api;

/// <summary>Conversions between <see cref="SpiffeId"/> and <c>spire.api.types.SPIFFEID</c>.</summary>
internal static class ProtoIds
{
    /// <summary>To the wire form (bare trust domain name and path).</summary>
    public static SPIFFEID ToProto(SpiffeId id) => new() { TrustDomain = id.TrustDomain.Name, Path = id.Path };

    /// <summary>Parses the wire form; returns null and an error message when invalid.</summary>
    public static SpiffeId? TryFromProto(SPIFFEID? proto, out string error)
    {
        error = string.Empty;
        if (proto is null)
        {
            error = "SPIFFE ID is missing";
            return null;
        }

        if (!TrustDomain.TryParse(proto.TrustDomain, out var td))
        {
            error = $"invalid trust domain \"{proto.TrustDomain}\"";
            return null;
        }

        try
        {
            return SpiffeId.FromPath(td, proto.Path);
        }
        catch (SpiffeIdException ex)
        {
            error = ex.Message;
            return null;
        }
    }
}
