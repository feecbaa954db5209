using Spiffe.Proto.Spire.Types;

namespace Spiffe.Server.Cli.Output;

/// <summary>
/// The order <c>entry show</c> prints in, as spire-server sorts: selectors within an entry by type then value; entries
/// by SPIFFE ID, parent ID, X509-SVID TTL, JWT-SVID TTL, then selector count and selectors.
/// </summary>
internal static class EntryOrder
{
    /// <summary>Sorts the entries and each entry's selectors in place.</summary>
    /// <param name="entries">The entries.</param>
    public static void Sort(List<Entry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        foreach (var entry in entries)
        {
            var selectors = entry.Selectors.Order(Comparer<Selector>.Create(CompareSelector)).ToList();
            entry.Selectors.Clear();
            entry.Selectors.AddRange(selectors);
        }

        entries.Sort(CompareEntry);
    }

    private static int CompareEntry(Entry a, Entry b)
    {
        var c = CompareId(a.SpiffeId, b.SpiffeId);
        if (c != 0)
        {
            return c;
        }

        c = CompareId(a.ParentId, b.ParentId);
        if (c != 0)
        {
            return c;
        }

        c = a.X509SvidTtl.CompareTo(b.X509SvidTtl);
        if (c != 0)
        {
            return c;
        }

        c = a.JwtSvidTtl.CompareTo(b.JwtSvidTtl);
        if (c != 0)
        {
            return c;
        }

        c = a.Selectors.Count.CompareTo(b.Selectors.Count);
        for (var i = 0; c == 0 && i < a.Selectors.Count; i++)
        {
            c = CompareSelector(a.Selectors[i], b.Selectors[i]);
        }

        return c;
    }

    private static int CompareId(SPIFFEID? a, SPIFFEID? b)
    {
        var c = string.CompareOrdinal(a?.TrustDomain, b?.TrustDomain);
        return c != 0 ? c : string.CompareOrdinal(a?.Path, b?.Path);
    }

    private static int CompareSelector(Selector a, Selector b)
    {
        var c = string.CompareOrdinal(a.Type, b.Type);
        return c != 0 ? c : string.CompareOrdinal(a.Value, b.Value);
    }
}
