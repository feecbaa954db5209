using Spiffe.Core;

namespace Spiffe.WorkloadApi;

/// <summary>Settings for <see cref="X509Source.CreateAsync"/>.</summary>
public sealed class X509SourceOptions : WorkloadApiSourceOptions
{
    /// <summary>
    /// Chooses the SVID that <see cref="X509Source.GetX509Svid"/> serves from each update, for a workload with several
    /// identities (see <see cref="X509SvidPickers"/>). Returning null rejects the update; the source keeps its previous
    /// SVID. When null, the first SVID (the endpoint's default identity) is used.
    /// </summary>
    public Func<IReadOnlyList<X509Svid>, X509Svid?>? SvidPicker { get; set; }
}
