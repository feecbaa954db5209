using Google.Protobuf;
using Grpc.Core;
using Spiffe.Agent.Core.Server;
using Spiffe.Proto.Spire.Types;

namespace Spiffe.Agent.ServerApi.Mapping;

/// <summary>Maps gRPC failures to <see cref="SpireServerException"/>, reading <c>PermissionDeniedDetails</c>.</summary>
internal static class ServerErrors
{
    /// <summary>
    /// Converts an <see cref="RpcException"/>; for <c>PermissionDenied</c> the reason is taken from the
    /// <c>spire.api.types.PermissionDeniedDetails</c> packed in the rich status (<c>grpc-status-details-bin</c>).
    /// </summary>
    public static SpireServerException FromRpcException(RpcException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var code = (ServerStatusCode)(int)exception.StatusCode;
        var reason = code == ServerStatusCode.PermissionDenied ? ReadReason(exception) : null;
        return new SpireServerException(code, exception.Status.Detail, reason, exception);
    }

    private static PermissionDeniedReason? ReadReason(RpcException exception)
    {
        Google.Rpc.Status? status;
        try
        {
            status = exception.GetRpcStatus();
        }
        catch (InvalidProtocolBufferException)
        {
            return null;
        }

        var details = status?.GetDetail<PermissionDeniedDetails>();
        if (details is null)
        {
            return null;
        }

        var reason = (PermissionDeniedReason)(int)details.Reason;
        return Enum.IsDefined(reason) ? reason : PermissionDeniedReason.Unknown;
    }
}
