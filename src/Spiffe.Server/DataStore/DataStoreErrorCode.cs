namespace Spiffe.Server.DataStore;

/// <summary>Why a datastore operation failed; maps one-to-one onto a gRPC status code.</summary>
internal enum DataStoreErrorCode
{
    /// <summary>The record does not exist.</summary>
    NotFound,

    /// <summary>A record with that key already exists.</summary>
    AlreadyExists,

    /// <summary>The operation is not allowed in the current state (e.g. RESTRICT delete of a referenced bundle).</summary>
    FailedPrecondition,

    /// <summary>The record is invalid (e.g. an entry without selectors).</summary>
    InvalidArgument,
}
