namespace Spiffe.Server.DataStore;

/// <summary>Set comparisons for selectors and federates-with lists, as the List/Count filters use them.</summary>
internal static class SelectorSets
{
    /// <summary>Returns a sorted, de-duplicated copy.</summary>
    public static IReadOnlyList<Selector> Normalize(IEnumerable<Selector> selectors) =>
        selectors.Distinct().Order().ToArray();

    /// <summary>Whether every member of <paramref name="subset"/> is in <paramref name="superset"/>.</summary>
    public static bool IsSubset(IReadOnlyList<Selector> subset, IReadOnlyCollection<Selector> superset)
    {
        if (subset.Count > superset.Count)
        {
            return false;
        }

        var set = superset as ISet<Selector> ?? new HashSet<Selector>(superset);
        return subset.All(set.Contains);
    }

    /// <summary>Compares <paramref name="actual"/> with <paramref name="wanted"/> per <paramref name="match"/>.</summary>
    public static bool Matches<T>(IEnumerable<T> actual, IEnumerable<T> wanted, MatchBehavior match)
    {
        var a = new HashSet<T>(actual);
        var w = new HashSet<T>(wanted);
        return match switch
        {
            MatchBehavior.Exact => a.SetEquals(w),
            MatchBehavior.Subset => a.Count > 0 && a.IsSubsetOf(w),
            MatchBehavior.Superset => a.IsSupersetOf(w),
            MatchBehavior.Any => a.Overlaps(w),
            _ => false,
        };
    }
}
