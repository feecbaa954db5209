namespace Spiffe.Server.DataStore;

/// <summary>A datastore operation was refused; nothing was changed.</summary>
internal sealed class DataStoreException : Exception
{
    /// <summary>Creates the exception.</summary>
    public DataStoreException(DataStoreErrorCode code, string message)
        : base(message)
    {
        Code = code;
    }

    /// <summary>Creates the exception (for serializers and analyzers).</summary>
    public DataStoreException()
        : this(DataStoreErrorCode.InvalidArgument, "datastore error")
    {
    }

    /// <summary>Creates the exception (for serializers and analyzers).</summary>
    public DataStoreException(string message)
        : this(DataStoreErrorCode.InvalidArgument, message)
    {
    }

    /// <summary>Creates the exception (for serializers and analyzers).</summary>
    public DataStoreException(string message, Exception innerException)
        : base(message, innerException)
    {
        Code = DataStoreErrorCode.InvalidArgument;
    }

    /// <summary>The failure kind.</summary>
    public DataStoreErrorCode Code { get; }
}
