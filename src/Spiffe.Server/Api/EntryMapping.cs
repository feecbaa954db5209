using Spiffe.Proto.Spire.Types;
using Spiffe.Server.DataStore;

namespace Spiffe.Server.Api;

/// <summary>Registration entry → <c>spire.api.types.Entry</c> with an output mask (agent-facing reads).</summary>
internal static class EntryMapping
{
    /// <summary>Every field.</summary>
    public static EntryMask All { get; } = new()
    {
        SpiffeId = true,
        ParentId = true,
        Selectors = true,
        X509SvidTtl = true,
        FederatesWith = true,
        Admin = true,
        Downstream = true,
        ExpiresAt = true,
        DnsNames = true,
        RevisionNumber = true,
        StoreSvid = true,
        JwtSvidTtl = true,
        Hint = true,
        CreatedAt = true,
        AdditionalAttributes = true,
    };

    /// <summary>Maps <paramref name="entry"/>; <c>id</c> is always set, other fields per <paramref name="mask"/> (null = all).</summary>
    public static Entry ToProto(RegistrationEntry entry, EntryMask? mask)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var m = mask ?? All;
        var proto = new Entry { Id = entry.Id };
        if (m.SpiffeId)
        {
            proto.SpiffeId = ProtoIds.ToProto(entry.SpiffeId);
        }

        if (m.ParentId)
        {
            proto.ParentId = ProtoIds.ToProto(entry.ParentId);
        }

        if (m.Selectors)
        {
            proto.Selectors.AddRange(entry.Selectors.Select(s => new Proto.Spire.Types.Selector { Type = s.Type, Value = s.Value }));
        }

        if (m.X509SvidTtl)
        {
            proto.X509SvidTtl = entry.X509SvidTtl;
        }

        if (m.FederatesWith)
        {
            proto.FederatesWith.AddRange(entry.FederatesWith);
        }

        if (m.Admin)
        {
            proto.Admin = entry.Admin;
        }

        if (m.Downstream)
        {
            proto.Downstream = entry.Downstream;
        }

        if (m.ExpiresAt)
        {
            proto.ExpiresAt = entry.ExpiresAt;
        }

        if (m.DnsNames)
        {
            proto.DnsNames.AddRange(entry.DnsNames);
        }

        if (m.RevisionNumber)
        {
            proto.RevisionNumber = entry.RevisionNumber;
        }

        if (m.StoreSvid)
        {
            proto.StoreSvid = entry.StoreSvid;
        }

        if (m.JwtSvidTtl)
        {
            proto.JwtSvidTtl = entry.JwtSvidTtl;
        }

        if (m.Hint)
        {
            proto.Hint = entry.Hint;
        }

        if (m.CreatedAt)
        {
            proto.CreatedAt = entry.CreatedAt;
        }

        if (m.AdditionalAttributes)
        {
            proto.AdditionalAttributes = new Entry.Types.AdditionalAttributes
            {
                DisableX509SvidPrefetch = entry.DisableX509SvidPrefetch,
                JwtSvidIncludeJti = entry.JwtSvidIncludeJti,
            };
        }

        return proto;
    }
}
