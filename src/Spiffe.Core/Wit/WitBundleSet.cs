using System.Diagnostics.CodeAnalysis;

namespace Spiffe.Core;

/// <summary>WIT bundles keyed by trust domain. Immutable.</summary>
public sealed class WitBundleSet : IWitBundleSource
{
    private readonly Dictionary<TrustDomain, WitBundle> bundles;

    /// <summary>Creates a set.</summary>
    /// <param name="bundles">The bundles, at most one per trust domain.</param>
    /// <exception cref="ArgumentException">Two bundles have the same trust domain.</exception>
    public WitBundleSet(IEnumerable<WitBundle> bundles)
    {
        (this.bundles, this.Bundles) = BundleSets.Index(bundles, b => b.TrustDomain, nameof(bundles));
    }

    /// <summary>The bundles, ordered by trust domain name.</summary>
    public IReadOnlyCollection<WitBundle> Bundles { get; }

    /// <summary>Looks up the bundle of a trust domain.</summary>
    /// <param name="trustDomain">The trust domain.</param>
    /// <param name="bundle">The bundle, when found.</param>
    /// <returns>Whether the set has a bundle for the trust domain.</returns>
    public bool TryGetBundle(TrustDomain trustDomain, [NotNullWhen(true)] out WitBundle? bundle) =>
        this.bundles.TryGetValue(trustDomain, out bundle);

    /// <inheritdoc/>
    public WitBundle GetWitBundleForTrustDomain(TrustDomain trustDomain) =>
        this.bundles.TryGetValue(trustDomain, out var bundle) ? bundle : throw BundleSets.NotFound("WIT", trustDomain);
}
