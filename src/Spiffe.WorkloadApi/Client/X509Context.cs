using Spiffe.Core;

namespace Spiffe.WorkloadApi;

/// <summary>
/// One complete X.509 state from the Workload API: the caller's X509-SVIDs and the X.509 bundles of its own and
/// federated trust domains.
/// </summary>
public sealed class X509Context
{
    /// <summary>Creates a context.</summary>
    /// <param name="svids">The SVIDs; at least one. The first is the default identity.</param>
    /// <param name="bundles">The bundles.</param>
    /// <exception cref="ArgumentException"><paramref name="svids"/> is empty.</exception>
    public X509Context(IReadOnlyList<X509Svid> svids, X509BundleSet bundles)
    {
        ArgumentNullException.ThrowIfNull(svids);
        ArgumentNullException.ThrowIfNull(bundles);
        if (svids.Count == 0)
        {
            throw new ArgumentException("an X.509 context holds at least one SVID", nameof(svids));
        }

        this.Svids = svids;
        this.Bundles = bundles;
    }

    /// <summary>The SVIDs in the order the Workload API sent them.</summary>
    public IReadOnlyList<X509Svid> Svids { get; }

    /// <summary>The X.509 bundles by trust domain.</summary>
    public X509BundleSet Bundles { get; }

    /// <summary>The default SVID: the first one.</summary>
    public X509Svid DefaultSvid => this.Svids[0];
}
