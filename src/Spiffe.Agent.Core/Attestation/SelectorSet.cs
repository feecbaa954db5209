using System.Collections;

namespace Spiffe.Agent.Core.Attestation;

/// <summary>
/// An immutable set of selectors without duplicates, enumerated in ordinal order (type, then value) so that logs
/// and comparisons are deterministic. An entry matches a workload when the workload's set is a superset of the
/// entry's selectors (<see cref="IsSupersetOf"/>).
/// </summary>
internal sealed class SelectorSet : IReadOnlyCollection<Selector>
{
    private readonly Selector[] _ordered;

    private SelectorSet(Selector[] ordered) => _ordered = ordered;

    /// <summary>The empty set.</summary>
    public static SelectorSet Empty { get; } = new([]);

    /// <summary>The number of distinct selectors.</summary>
    public int Count => _ordered.Length;

    /// <summary>Creates a set from any selectors; duplicates collapse.</summary>
    public static SelectorSet Create(IEnumerable<Selector> selectors)
    {
        ArgumentNullException.ThrowIfNull(selectors);
        var ordered = selectors.Distinct().Order().ToArray();
        return ordered.Length == 0 ? Empty : new SelectorSet(ordered);
    }

    /// <summary>True when the set holds this selector (ordinal comparison).</summary>
    public bool Contains(Selector selector) => Array.BinarySearch(_ordered, selector) >= 0;

    /// <summary>True when every given selector is in this set (an empty sequence is a subset of any set).</summary>
    public bool IsSupersetOf(IEnumerable<Selector> selectors)
    {
        ArgumentNullException.ThrowIfNull(selectors);
        return selectors.All(Contains);
    }

    /// <summary>Enumerates in ordinal order.</summary>
    public IEnumerator<Selector> GetEnumerator() => ((IEnumerable<Selector>)_ordered).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Returns the selectors as <c>type:value</c>, comma-separated, in ordinal order.</summary>
    public override string ToString() => string.Join(",", _ordered.Select(s => s.ToString()));
}
