using Grpc.Core;
using Spiffe.Proto.Spire.Types;
using Reason = Spiffe.Proto.Spire.Types.PermissionDeniedDetails.Types.Reason;

namespace Spiffe.Server.Tests.Infrastructure;

/// <summary>Reads SPIRE's rich PermissionDenied details from a failed call.</summary>
internal static class GrpcAssert
{
    /// <summary>The <c>PermissionDeniedDetails</c> reason packed in <c>grpc-status-details-bin</c>, or null when absent.</summary>
    public static Reason? DeniedReason(RpcException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var status = exception.GetRpcStatus();
        return status?.GetDetail<PermissionDeniedDetails>()?.Reason;
    }
}
