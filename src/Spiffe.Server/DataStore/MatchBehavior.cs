namespace Spiffe.Server.DataStore;

/// <summary>How a selector or federates-with filter compares with an entry's set (values as in <c>spire.api.types</c>).</summary>
internal enum MatchBehavior
{
    /// <summary>The entry's set equals the filter's.</summary>
    Exact = 0,

    /// <summary>The entry's set is a subset of the filter's.</summary>
    Subset = 1,

    /// <summary>The entry's set is a superset of the filter's.</summary>
    Superset = 2,

    /// <summary>The sets share at least one member.</summary>
    Any = 3,
}
