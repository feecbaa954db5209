namespace Spiffe.Agent.Core.Server;

/// <summary>The status codes of a failed server call (the gRPC codes, same numbers).</summary>
internal enum ServerStatusCode
{
    /// <summary>Not an error.</summary>
    OK = 0,

    /// <summary>The call was cancelled.</summary>
    Cancelled = 1,

    /// <summary>Unknown error (also: TLS or transport failures that gRPC reports as such).</summary>
    Unknown = 2,

    /// <summary>The request was invalid (e.g. unknown or used join token).</summary>
    InvalidArgument = 3,

    /// <summary>The 30 s deadline passed.</summary>
    DeadlineExceeded = 4,

    /// <summary>Not found.</summary>
    NotFound = 5,

    /// <summary>Already exists.</summary>
    AlreadyExists = 6,

    /// <summary>The caller is not allowed; see <see cref="SpireServerException.Reason"/>.</summary>
    PermissionDenied = 7,

    /// <summary>Rate limited.</summary>
    ResourceExhausted = 8,

    /// <summary>Failed precondition.</summary>
    FailedPrecondition = 9,

    /// <summary>Aborted.</summary>
    Aborted = 10,

    /// <summary>Out of range.</summary>
    OutOfRange = 11,

    /// <summary>The server does not implement the method.</summary>
    Unimplemented = 12,

    /// <summary>Internal server error.</summary>
    Internal = 13,

    /// <summary>The server cannot be reached.</summary>
    Unavailable = 14,

    /// <summary>Data loss.</summary>
    DataLoss = 15,

    /// <summary>No valid credentials.</summary>
    Unauthenticated = 16,
}
