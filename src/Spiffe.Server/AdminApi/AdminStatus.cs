using Grpc.Core;
using Spiffe.Server.DataStore;
using Types = Spiffe.Proto.Spire.Types;

namespace Spiffe.Server.AdminApi;

/// <summary>Builds the per-item <c>spire.api.types.Status</c> values and call errors of the admin API, worded as SPIRE's.</summary>
internal static class AdminStatus
{
    /// <summary>The OK status.</summary>
    /// <returns>A new status with code 0.</returns>
    public static Types.Status Ok() => new() { Code = (int)StatusCode.OK, Message = "OK" };

    /// <summary>A status with the given code and message.</summary>
    /// <param name="code">The gRPC code.</param>
    /// <param name="message">The message.</param>
    /// <returns>The status.</returns>
    public static Types.Status Create(StatusCode code, string message) => new() { Code = (int)code, Message = message };

    /// <summary>The status for a datastore refusal: <c>prefix: store message</c> (NotFound: just the NotFound message).</summary>
    /// <param name="exception">The refusal.</param>
    /// <param name="prefix">What failed, e.g. <c>failed to create entry</c>.</param>
    /// <param name="notFound">The message for <see cref="DataStoreErrorCode.NotFound"/>, e.g. <c>entry not found</c>.</param>
    /// <returns>The status.</returns>
    public static Types.Status FromDataStore(DataStoreException exception, string prefix, string notFound)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var code = ToStatusCode(exception.Code);
        return Create(code, code == StatusCode.NotFound ? notFound : prefix + ": " + exception.Message);
    }

    /// <summary>The call error for a datastore refusal.</summary>
    /// <param name="exception">The refusal.</param>
    /// <param name="prefix">What failed.</param>
    /// <param name="notFound">The message for <see cref="DataStoreErrorCode.NotFound"/>.</param>
    /// <returns>The exception to throw.</returns>
    public static RpcException Error(DataStoreException exception, string prefix, string notFound)
    {
        var status = FromDataStore(exception, prefix, notFound);
        return Error((StatusCode)status.Code, status.Message);
    }

    /// <summary>A call error.</summary>
    /// <param name="code">The gRPC code.</param>
    /// <param name="message">The message.</param>
    /// <returns>The exception to throw.</returns>
    public static RpcException Error(StatusCode code, string message) => new(new Grpc.Core.Status(code, message));

    /// <summary>The <c>InvalidArgument</c> call error for a validation failure: <c>prefix: reason</c>.</summary>
    /// <param name="exception">The failure.</param>
    /// <param name="prefix">What was malformed, e.g. <c>malformed parent ID filter</c>.</param>
    /// <returns>The exception to throw.</returns>
    public static RpcException Invalid(AdminValidationException exception, string prefix)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return Error(StatusCode.InvalidArgument, prefix + ": " + exception.Message);
    }

    private static StatusCode ToStatusCode(DataStoreErrorCode code) => code switch
    {
        DataStoreErrorCode.NotFound => StatusCode.NotFound,
        DataStoreErrorCode.AlreadyExists => StatusCode.AlreadyExists,
        DataStoreErrorCode.FailedPrecondition => StatusCode.FailedPrecondition,
        _ => StatusCode.InvalidArgument,
    };
}
