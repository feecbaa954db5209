using Spiffe.Core;
using Types = Spiffe.Proto.Spire.Types;

namespace Spiffe.Server.AdminApi;

/// <summary>Converts SPIFFE IDs between the API's split form and <see cref="SpiffeId"/>, with SPIRE's membership rules.</summary>
internal static class IdConverter
{
    private const string AgentPathPrefix = "/spire/agent/";

    private const string ReservedPathPrefix = "/spire/";

    /// <summary>Parses a split ID.</summary>
    /// <param name="proto">The split ID; null is refused.</param>
    /// <returns>The ID.</returns>
    /// <exception cref="AdminValidationException">The ID is missing or breaks the SPIFFE ID grammar.</exception>
    public static SpiffeId FromProto(Types.SPIFFEID? proto)
    {
        if (proto is null)
        {
            throw new AdminValidationException("request must specify SPIFFE ID");
        }

        try
        {
            return SpiffeId.FromPath(TrustDomain.Parse(proto.TrustDomain), proto.Path);
        }
        catch (SpiffeIdException ex)
        {
            throw new AdminValidationException(ex.Message, ex);
        }
    }

    /// <summary>Parses an ID that must be in the trust domain, with a path.</summary>
    /// <param name="proto">The split ID.</param>
    /// <param name="trustDomain">The server's trust domain.</param>
    /// <returns>The ID.</returns>
    /// <exception cref="AdminValidationException">The ID is missing, malformed, foreign or the trust domain ID.</exception>
    public static SpiffeId MemberFromProto(Types.SPIFFEID? proto, TrustDomain trustDomain)
    {
        var id = FromProto(proto);
        RequireMember(id, trustDomain);
        if (id.IsRootPath)
        {
            throw new AdminValidationException($"\"{id}\" is not a member of trust domain \"{trustDomain}\"; path is empty");
        }

        return id;
    }

    /// <summary>Parses a workload ID: a trust domain member outside the reserved <c>/spire/</c> namespace.</summary>
    /// <param name="proto">The split ID.</param>
    /// <param name="trustDomain">The server's trust domain.</param>
    /// <returns>The ID.</returns>
    /// <exception cref="AdminValidationException">The ID is not a workload ID of the trust domain.</exception>
    public static SpiffeId WorkloadFromProto(Types.SPIFFEID? proto, TrustDomain trustDomain)
    {
        var id = FromProto(proto);
        RequireMember(id, trustDomain);
        if (id.IsRootPath)
        {
            throw new AdminValidationException($"\"{id}\" is not a workload in trust domain \"{trustDomain}\"; path is empty");
        }

        if (id.Path.StartsWith(ReservedPathPrefix, StringComparison.Ordinal))
        {
            throw new AdminValidationException($"\"{id}\" is not a workload in trust domain \"{trustDomain}\"; path is in the reserved namespace");
        }

        return id;
    }

    /// <summary>Parses an agent ID: a trust domain member under <c>/spire/agent/</c>.</summary>
    /// <param name="proto">The split ID.</param>
    /// <param name="trustDomain">The server's trust domain.</param>
    /// <returns>The ID.</returns>
    /// <exception cref="AdminValidationException">The ID is not an agent ID of the trust domain.</exception>
    public static SpiffeId AgentFromProto(Types.SPIFFEID? proto, TrustDomain trustDomain)
    {
        var id = FromProto(proto);
        RequireMember(id, trustDomain);
        if (!id.Path.StartsWith(AgentPathPrefix, StringComparison.Ordinal))
        {
            throw new AdminValidationException($"\"{id}\" is not an agent in trust domain \"{trustDomain}\"; path is not in the agent namespace");
        }

        return id;
    }

    private static void RequireMember(SpiffeId id, TrustDomain trustDomain)
    {
        if (!id.MemberOf(trustDomain))
        {
            throw new AdminValidationException($"\"{id}\" is not a member of trust domain \"{trustDomain}\"");
        }
    }
}
