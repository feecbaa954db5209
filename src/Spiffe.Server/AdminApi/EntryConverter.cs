using Spiffe.Core;
using Spiffe.Server.Api;
using Spiffe.Server.DataStore;
using Types = Spiffe.Proto.Spire.Types;

namespace Spiffe.Server.AdminApi;

/// <summary>
/// Converts requested registration entries into datastore entries, validating field by field with SPIRE's rules;
/// every failure names the field. Output goes through <see cref="EntryMapping"/>.
/// </summary>
internal static class EntryConverter
{
    /// <summary>The longest hint SPIRE accepts.</summary>
    public const int MaxHintLength = 1024;

    /// <summary>The longest entry ID SPIRE accepts.</summary>
    public const int MaxIdLength = 255;

    /// <summary>Validates a new entry (every field is read).</summary>
    /// <param name="proto">The requested entry.</param>
    /// <param name="trustDomain">The server's trust domain.</param>
    /// <returns>The entry to store (ID as requested, possibly empty).</returns>
    /// <exception cref="AdminValidationException">A field breaks a rule; the message names it.</exception>
    public static RegistrationEntry ForCreate(Types.Entry proto, TrustDomain trustDomain)
    {
        ArgumentNullException.ThrowIfNull(proto);
        ValidateId(proto.Id, required: false);
        var blank = new RegistrationEntry { Id = proto.Id, SpiffeId = default, ParentId = default, Selectors = [] };
        return Merge(proto, EntryMapping.All, blank, trustDomain);
    }

    /// <summary>Applies the fields an input mask selects to a stored entry.</summary>
    /// <param name="proto">The requested changes; its ID names the entry.</param>
    /// <param name="inputMask">Which fields to take from <paramref name="proto"/>; null = all.</param>
    /// <param name="existing">The stored entry.</param>
    /// <param name="trustDomain">The server's trust domain.</param>
    /// <returns>The entry to store.</returns>
    /// <exception cref="AdminValidationException">A selected field breaks a rule; the message names it.</exception>
    public static RegistrationEntry ForUpdate(Types.Entry proto, Types.EntryMask? inputMask, RegistrationEntry existing, TrustDomain trustDomain)
    {
        ArgumentNullException.ThrowIfNull(proto);
        ArgumentNullException.ThrowIfNull(existing);
        return Merge(proto, inputMask ?? EntryMapping.All, existing, trustDomain);
    }

    /// <summary>Checks an entry ID: at most 255 characters of <c>[A-Za-z0-9._-]</c>.</summary>
    /// <param name="id">The ID.</param>
    /// <param name="required">Whether an empty ID is refused.</param>
    /// <exception cref="AdminValidationException">The ID breaks the rule.</exception>
    public static void ValidateId(string id, bool required)
    {
        ArgumentNullException.ThrowIfNull(id);
        if (id.Length == 0 && required)
        {
            throw new AdminValidationException("missing entry ID");
        }

        if (id.Length > MaxIdLength)
        {
            throw new AdminValidationException($"invalid entry ID: longer than {MaxIdLength} characters");
        }

        if (!id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_'))
        {
            throw new AdminValidationException("invalid entry ID: only letters, digits, '-', '.' and '_' are allowed");
        }
    }

    /// <summary>Converts and checks API selectors (at least one; non-empty type without ':'; non-empty value).</summary>
    /// <param name="selectors">The selectors.</param>
    /// <returns>The selectors, sorted.</returns>
    /// <exception cref="AdminValidationException">The list is empty or a selector is malformed.</exception>
    public static IReadOnlyList<Selector> SelectorsFromProto(IReadOnlyCollection<Types.Selector> selectors)
    {
        ArgumentNullException.ThrowIfNull(selectors);
        if (selectors.Count == 0)
        {
            throw new AdminValidationException("selector list is empty");
        }

        var result = new List<Selector>(selectors.Count);
        foreach (var selector in selectors)
        {
            if (Selector.Validate(selector.Type, selector.Value) is { } error)
            {
                throw new AdminValidationException($"invalid selector \"{selector.Type}:{selector.Value}\": {error}");
            }

            result.Add(new Selector(selector.Type, selector.Value));
        }

        result.Sort();
        return result;
    }

    private static RegistrationEntry Merge(Types.Entry proto, Types.EntryMask mask, RegistrationEntry entry, TrustDomain trustDomain)
    {
        if (mask.SpiffeId)
        {
            entry = entry with { SpiffeId = Field("spiffe ID", () => IdConverter.WorkloadFromProto(proto.SpiffeId, trustDomain)) };
        }

        if (mask.ParentId)
        {
            entry = entry with { ParentId = Field("parent ID", () => IdConverter.MemberFromProto(proto.ParentId, trustDomain)) };
        }

        if (mask.Selectors)
        {
            entry = entry with { Selectors = SelectorsFromProto(proto.Selectors) };
        }

        if (mask.X509SvidTtl)
        {
            entry = entry with { X509SvidTtl = proto.X509SvidTtl >= 0 ? proto.X509SvidTtl : throw new AdminValidationException("x509_svid_ttl must not be negative") };
        }

        if (mask.JwtSvidTtl)
        {
            entry = entry with { JwtSvidTtl = proto.JwtSvidTtl >= 0 ? proto.JwtSvidTtl : throw new AdminValidationException("jwt_svid_ttl must not be negative") };
        }

        if (mask.FederatesWith)
        {
            entry = entry with { FederatesWith = proto.FederatesWith.Select(FederatedTrustDomain).Distinct(StringComparer.Ordinal).ToList() };
        }

        if (mask.DnsNames)
        {
            foreach (var name in proto.DnsNames)
            {
                if (DnsNameValidator.Validate(name) is { } error)
                {
                    throw new AdminValidationException($"invalid DNS name \"{name}\": {error}");
                }
            }

            entry = entry with { DnsNames = proto.DnsNames.ToList() };
        }

        if (mask.Hint)
        {
            entry = entry with { Hint = proto.Hint.Length <= MaxHintLength ? proto.Hint : throw new AdminValidationException($"hint is too long, max length is {MaxHintLength} characters") };
        }

        if (mask.ExpiresAt)
        {
            entry = entry with { ExpiresAt = proto.ExpiresAt >= 0 ? proto.ExpiresAt : throw new AdminValidationException("expires_at must not be negative") };
        }

        entry = entry with
        {
            Admin = mask.Admin ? proto.Admin : entry.Admin,
            Downstream = mask.Downstream ? proto.Downstream : entry.Downstream,
            StoreSvid = mask.StoreSvid ? proto.StoreSvid : entry.StoreSvid,
        };
        if (mask.AdditionalAttributes)
        {
            entry = entry with
            {
                DisableX509SvidPrefetch = proto.AdditionalAttributes?.DisableX509SvidPrefetch ?? false,
                JwtSvidIncludeJti = proto.AdditionalAttributes?.JwtSvidIncludeJti ?? false,
            };
        }

        if (entry.StoreSvid)
        {
            if (entry.Selectors.Select(s => s.Type).Distinct(StringComparer.Ordinal).Count() > 1)
            {
                throw new AdminValidationException("selector types must be the same when store_svid is enabled");
            }

            if (entry.DisableX509SvidPrefetch)
            {
                throw new AdminValidationException("disable_x509_svid_prefetch is incompatible with store_svid");
            }
        }

        return entry;
    }

    private static string FederatedTrustDomain(string text)
    {
        try
        {
            return TrustDomain.Parse(text).Name;
        }
        catch (SpiffeIdException ex)
        {
            throw new AdminValidationException("invalid federated trust domain: " + ex.Message, ex);
        }
    }

    private static SpiffeId Field(string name, Func<SpiffeId> parse)
    {
        try
        {
            return parse();
        }
        catch (AdminValidationException ex)
        {
            throw new AdminValidationException($"invalid {name}: {ex.Message}", ex);
        }
    }
}
