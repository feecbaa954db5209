namespace Spiffe.Core;

/// <summary>Shared pieces of the bundle sets and the single-bundle sources.</summary>
internal static class BundleSets
{
    public static BundleNotFoundException NotFound(string kind, TrustDomain trustDomain) =>
        new($"no {kind} bundle for trust domain \"{trustDomain}\"");

    /// <summary>Indexes bundles by trust domain, rejecting duplicates; the values list is ordered by trust domain name.</summary>
    public static (Dictionary<TrustDomain, T> ByTrustDomain, IReadOnlyCollection<T> Ordered) Index<T>(
        IEnumerable<T> bundles, Func<T, TrustDomain> trustDomainOf, string paramName)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(bundles, paramName);
        var byTrustDomain = new Dictionary<TrustDomain, T>();
        foreach (var bundle in bundles)
        {
            ArgumentNullException.ThrowIfNull(bundle, paramName);
            if (!byTrustDomain.TryAdd(trustDomainOf(bundle), bundle))
            {
                throw new ArgumentException($"more than one bundle for trust domain \"{trustDomainOf(bundle)}\"", paramName);
            }
        }

        var ordered = byTrustDomain.OrderBy(pair => pair.Key.Name, StringComparer.Ordinal).Select(pair => pair.Value).ToArray();
        return (byTrustDomain, ordered);
    }
}
