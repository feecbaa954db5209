using System.Diagnostics.CodeAnalysis;
using Spiffe.Agent.Core.Attestation;
using Spiffe.Agent.Core.Workload;
using Spiffe.Core;
using Spiffe.Proto.Spire.Types;
using ProtoEntry = Spiffe.Proto.Spire.Types.Entry;
using ProtoSelector = Spiffe.Proto.Spire.Types.Selector;
using Selector = Spiffe.Agent.Core.Attestation.Selector;

namespace Spiffe.Agent.ServerApi.Mapping;

/// <summary>Maps server entries to <see cref="RegistrationEntry"/>, rejecting the malformed ones SPIRE's agent drops.</summary>
internal static class EntryMapper
{
    /// <summary>
    /// The fields the agent asks for: SPIRE's agent mask (which must include <c>revision_number</c>) plus both TTLs and
    /// the entry's expiry (no SVID may outlive it).
    /// </summary>
    public static EntryMask OutputMask { get; } = new()
    {
        SpiffeId = true,
        Selectors = true,
        FederatesWith = true,
        Admin = true,
        Downstream = true,
        RevisionNumber = true,
        StoreSvid = true,
        Hint = true,
        AdditionalAttributes = true,
        CreatedAt = true,
        X509SvidTtl = true,
        JwtSvidTtl = true,
        ExpiresAt = true,
    };

    /// <summary>Maps an entry; false with a reason when the agent must ignore it.</summary>
    public static bool TryMap(ProtoEntry entry, [NotNullWhen(true)] out RegistrationEntry? result, [NotNullWhen(false)] out string? reason)
    {
        ArgumentNullException.ThrowIfNull(entry);
        result = null;
        if (entry.Id.Length == 0)
        {
            reason = "missing entry ID";
            return false;
        }

        if (!TryMapId(entry.SpiffeId, out var spiffeId))
        {
            reason = "invalid SPIFFE ID";
            return false;
        }

        if (entry.Selectors.Count == 0)
        {
            reason = "no selectors";
            return false;
        }

        var selectors = new List<Selector>(entry.Selectors.Count);
        foreach (var selector in entry.Selectors)
        {
            if (!TryMapSelector(selector, out var mapped))
            {
                reason = "invalid selector";
                return false;
            }

            selectors.Add(mapped);
        }

        var federatesWith = new List<TrustDomain>(entry.FederatesWith.Count);
        foreach (var name in entry.FederatesWith)
        {
            if (!TrustDomain.TryParse(name, out var trustDomain))
            {
                reason = "invalid federated trust domain";
                return false;
            }

            federatesWith.Add(trustDomain);
        }

        result = new RegistrationEntry
        {
            Id = entry.Id,
            SpiffeId = spiffeId,
            Selectors = SelectorSet.Create(selectors),
            FederatesWith = federatesWith,
            Hint = entry.Hint,
            CreatedAt = DateTimeOffset.FromUnixTimeSeconds(entry.CreatedAt),
            RevisionNumber = entry.RevisionNumber,
            X509SvidTtl = TimeSpan.FromSeconds(entry.X509SvidTtl),
            JwtSvidTtl = TimeSpan.FromSeconds(entry.JwtSvidTtl),
            Admin = entry.Admin,
            Downstream = entry.Downstream,
            StoreSvid = entry.StoreSvid,
            DisableX509SvidPrefetch = entry.AdditionalAttributes?.DisableX509SvidPrefetch ?? false,
            JwtSvidIncludeJti = entry.AdditionalAttributes?.JwtSvidIncludeJti ?? false,
            ExpiresAt = entry.ExpiresAt > 0 ? DateTimeOffset.FromUnixTimeSeconds(entry.ExpiresAt) : null,
        };
        reason = null;
        return true;
    }

    /// <summary>Maps a wire SPIFFE ID (trust domain name + path); false when it is missing or invalid.</summary>
    public static bool TryMapId(SPIFFEID? id, out SpiffeId result)
    {
        result = default;
        return id is not null
            && TrustDomain.TryParse(id.TrustDomain, out var trustDomain)
            && SpiffeId.TryParse(trustDomain.IdString + id.Path, out result)
            && !result.IsRootPath;
    }

    private static bool TryMapSelector(ProtoSelector selector, [NotNullWhen(true)] out Selector? result)
    {
        result = null;
        if (selector.Type.Length == 0 || selector.Type.Contains(':', StringComparison.Ordinal) || selector.Value.Length == 0)
        {
            return false;
        }

        result = new Selector(selector.Type, selector.Value);
        return true;
    }
}
