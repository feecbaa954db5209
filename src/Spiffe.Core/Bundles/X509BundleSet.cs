using System.Diagnostics.CodeAnalysis;

namespace Spiffe.Core;

/// <summary>X.509 bundles keyed by trust domain. Immutable.</summary>
public sealed class X509BundleSet : IX509BundleSource
{
    private readonly Dictionary<TrustDomain, X509Bundle> bundles;

    /// <summary>Creates a set.</summary>
    /// <param name="bundles">The bundles, at most one per trust domain.</param>
    /// <exception cref="ArgumentException">Two bundles have the same trust domain.</exception>
    public X509BundleSet(IEnumerable<X509Bundle> bundles)
    {
        (this.bundles, this.Bundles) = BundleSets.Index(bundles, b => b.TrustDomain, nameof(bundles));
    }

    /// <summary>The bundles, ordered by trust domain name.</summary>
    public IReadOnlyCollection<X509Bundle> Bundles { get; }

    /// <summary>Looks up the bundle of a trust domain.</summary>
    /// <param name="trustDomain">The trust domain.</param>
    /// <param name="bundle">The bundle, when found.</param>
    /// <returns>Whether the set has a bundle for the trust domain.</returns>
    public bool TryGetBundle(TrustDomain trustDomain, [NotNullWhen(true)] out X509Bundle? bundle) =>
        this.bundles.TryGetValue(trustDomain, out bundle);

    /// <inheritdoc/>
    public X509Bundle GetX509BundleForTrustDomain(TrustDomain trustDomain) =>
        this.bundles.TryGetValue(trustDomain, out var bundle) ? bundle : throw BundleSets.NotFound("X.509", trustDomain);
}
