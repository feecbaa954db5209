namespace Spiffe.Core;

/// <summary>Supplies X.509 bundles by trust domain.</summary>
public interface IX509BundleSource
{
    /// <summary>Returns the X.509 bundle of a trust domain.</summary>
    /// <param name="trustDomain">The trust domain.</param>
    /// <returns>The bundle.</returns>
    /// <exception cref="BundleNotFoundException">The source has no bundle for the trust domain.</exception>
    X509Bundle GetX509BundleForTrustDomain(TrustDomain trustDomain);
}
