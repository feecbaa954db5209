namespace Spiffe.WorkloadApi;

/// <summary>Settings for <see cref="WitSource.CreateAsync"/>.</summary>
public sealed class WitSourceOptions : WorkloadApiSourceOptions
{
    /// <summary>
    /// Chooses the WIT-SVID that <see cref="WitSource.GetWitSvid"/> serves from each update, for a workload with several
    /// identities. Returning null rejects the update; the source keeps its previous WIT-SVID. When null, the first
    /// WIT-SVID (the endpoint's default identity) is used.
    /// </summary>
    public Func<IReadOnlyList<WitSvidCredential>, WitSvidCredential?>? SvidPicker { get; set; }
}
