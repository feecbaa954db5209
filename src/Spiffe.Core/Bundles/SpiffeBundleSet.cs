using System.Diagnostics.CodeAnalysis;

namespace Spiffe.Core;

/// <summary>SPIFFE bundles keyed by trust domain. Immutable; serves both X.509 and JWT bundles.</summary>
public sealed class SpiffeBundleSet : IX509BundleSource, IJwtBundleSource
{
    private readonly Dictionary<TrustDomain, SpiffeBundle> bundles;

    /// <summary>Creates a set.</summary>
    /// <param name="bundles">The bundles, at most one per trust domain.</param>
    /// <exception cref="ArgumentException">Two bundles have the same trust domain.</exception>
    public SpiffeBundleSet(IEnumerable<SpiffeBundle> bundles)
    {
        (this.bundles, this.Bundles) = BundleSets.Index(bundles, b => b.TrustDomain, nameof(bundles));
    }

    /// <summary>The bundles, ordered by trust domain name.</summary>
    public IReadOnlyCollection<SpiffeBundle> Bundles { get; }

    /// <summary>Looks up the bundle of a trust domain.</summary>
    /// <param name="trustDomain">The trust domain.</param>
    /// <param name="bundle">The bundle, when found.</param>
    /// <returns>Whether the set has a bundle for the trust domain.</returns>
    public bool TryGetBundle(TrustDomain trustDomain, [NotNullWhen(true)] out SpiffeBundle? bundle) =>
        this.bundles.TryGetValue(trustDomain, out bundle);

    /// <inheritdoc/>
    public X509Bundle GetX509BundleForTrustDomain(TrustDomain trustDomain) =>
        this.bundles.TryGetValue(trustDomain, out var bundle)
            ? bundle.ToX509Bundle()
            : throw BundleSets.NotFound("X.509", trustDomain);

    /// <inheritdoc/>
    public JwtBundle GetJwtBundleForTrustDomain(TrustDomain trustDomain) =>
        this.bundles.TryGetValue(trustDomain, out var bundle)
            ? bundle.ToJwtBundle()
            : throw BundleSets.NotFound("JWT", trustDomain);
}
