using Grpc.Core;

namespace Spiffe.WorkloadApi;

/// <summary>
/// A Workload API call failed: the endpoint returned an error status, or its response broke a SPIFFE rule (for
/// example an X509-SVID that does not parse, or an empty SVID list). The message says which.
/// </summary>
public sealed class WorkloadApiException : Exception
{
    /// <summary>Creates an exception with a default message.</summary>
    public WorkloadApiException()
        : base("Workload API call failed")
    {
    }

    /// <summary>Creates an exception with the given message.</summary>
    /// <param name="message">What failed.</param>
    public WorkloadApiException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with the given message and cause.</summary>
    /// <param name="message">What failed.</param>
    /// <param name="innerException">The underlying error.</param>
    public WorkloadApiException(string message, Exception innerException)
        : base(message, innerException)
    {
        this.StatusCode = (innerException as RpcException)?.StatusCode;
    }

    /// <summary>
    /// The gRPC status the endpoint returned, for example <see cref="Grpc.Core.StatusCode.PermissionDenied"/> when
    /// the caller is entitled to no identity; null when the response itself was invalid.
    /// </summary>
    public StatusCode? StatusCode { get; }
}
