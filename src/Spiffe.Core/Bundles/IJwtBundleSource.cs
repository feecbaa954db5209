namespace Spiffe.Core;

/// <summary>Supplies JWT bundles by trust domain.</summary>
public interface IJwtBundleSource
{
    /// <summary>Returns the JWT bundle of a trust domain.</summary>
    /// <param name="trustDomain">The trust domain.</param>
    /// <returns>The bundle.</returns>
    /// <exception cref="BundleNotFoundException">The source has no bundle for the trust domain.</exception>
    JwtBundle GetJwtBundleForTrustDomain(TrustDomain trustDomain);
}
