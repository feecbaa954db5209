namespace Spiffe.Core;

/// <summary>Supplies WIT bundles (the keys that sign WIT-SVIDs) by trust domain.</summary>
public interface IWitBundleSource
{
    /// <summary>Returns the WIT bundle of a trust domain.</summary>
    /// <param name="trustDomain">The trust domain.</param>
    /// <returns>The bundle.</returns>
    /// <exception cref="BundleNotFoundException">The source has no WIT bundle for the trust domain.</exception>
    WitBundle GetWitBundleForTrustDomain(TrustDomain trustDomain);
}
