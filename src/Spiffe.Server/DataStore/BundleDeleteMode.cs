namespace Spiffe.Server.DataStore;

/// <summary>What deleting a federated bundle does to entries that federate with it (values as in the Bundle API).</summary>
internal enum BundleDeleteMode
{
    /// <summary>Refuse (<see cref="DataStoreErrorCode.FailedPrecondition"/>) while any entry federates with it.</summary>
    Restrict = 0,

    /// <summary>Delete the entries that federate with it too.</summary>
    Delete = 1,

    /// <summary>Remove the trust domain from those entries' federates_with (bumping their revisions).</summary>
    Dissociate = 2,
}
