using System.Diagnostics.CodeAnalysis;

namespace Spiffe.Core;

/// <summary>JWT bundles keyed by trust domain. Immutable.</summary>
public sealed class JwtBundleSet : IJwtBundleSource
{
    private readonly Dictionary<TrustDomain, JwtBundle> bundles;

    /// <summary>Creates a set.</summary>
    /// <param name="bundles">The bundles, at most one per trust domain.</param>
    /// <exception cref="ArgumentException">Two bundles have the same trust domain.</exception>
    public JwtBundleSet(IEnumerable<JwtBundle> bundles)
    {
        (this.bundles, this.Bundles) = BundleSets.Index(bundles, b => b.TrustDomain, nameof(bundles));
    }

    /// <summary>The bundles, ordered by trust domain name.</summary>
    public IReadOnlyCollection<JwtBundle> Bundles { get; }

    /// <summary>Looks up the bundle of a trust domain.</summary>
    /// <param name="trustDomain">The trust domain.</param>
    /// <param name="bundle">The bundle, when found.</param>
    /// <returns>Whether the set has a bundle for the trust domain.</returns>
    public bool TryGetBundle(TrustDomain trustDomain, [NotNullWhen(true)] out JwtBundle? bundle) =>
        this.bundles.TryGetValue(trustDomain, out bundle);

    /// <inheritdoc/>
    public JwtBundle GetJwtBundleForTrustDomain(TrustDomain trustDomain) =>
        this.bundles.TryGetValue(trustDomain, out var bundle) ? bundle : throw BundleSets.NotFound("JWT", trustDomain);
}
