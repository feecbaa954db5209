using Spiffe.Server.DataStore;
using Types = Spiffe.Proto.Spire.Types;
using Spiffe.Server.Api;

namespace Spiffe.Server.AdminApi;

/// <summary>Converts attested agents for responses, honouring an <see cref="Types.AgentMask"/> (null = every field; the ID is always returned).</summary>
internal static class AgentConverter
{
    /// <summary>Converts a stored agent.</summary>
    /// <param name="agent">The stored agent.</param>
    /// <param name="mask">Which fields to fill in; null = all.</param>
    /// <returns>The API agent.</returns>
    public static Types.Agent ToProto(AttestedAgent agent, Types.AgentMask? mask)
    {
        ArgumentNullException.ThrowIfNull(agent);
        var all = mask is null;
        var proto = new Types.Agent
        {
            Id = ProtoIds.ToProto(agent.Id),
            AttestationType = all || mask!.AttestationType ? agent.AttestationType : string.Empty,
            X509SvidSerialNumber = all || mask!.X509SvidSerialNumber ? agent.SerialNumber : string.Empty,
            X509SvidExpiresAt = all || mask!.X509SvidExpiresAt ? agent.ExpiresAt : 0,
            Banned = (all || mask!.Banned) && agent.Banned,
            CanReattest = (all || mask!.CanReattest) && agent.CanReattest,
            AgentVersion = all || mask!.AgentVersion ? agent.AgentVersion : string.Empty,
        };
        if (all || mask!.Selectors)
        {
            proto.Selectors.AddRange(agent.Selectors.Select(s => new Types.Selector { Type = s.Type, Value = s.Value }));
        }

        return proto;
    }
}
