using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Spiffe.Proto.Spire.Types;

namespace Spiffe.Server.Api;

/// <summary>Errors the server APIs return, with SPIRE's status codes and rich details.</summary>
internal static class RpcErrors
{
    /// <summary>
    /// <c>PermissionDenied</c> carrying a packed <c>spire.api.types.PermissionDeniedDetails</c> in
    /// <c>grpc-status-details-bin</c> (a <c>google.rpc.Status</c>), as agents expect (reference §2.6).
    /// </summary>
    public static RpcException AgentDenied(PermissionDeniedDetails.Types.Reason reason, string message)
    {
        var status = new Google.Rpc.Status
        {
            Code = (int)StatusCode.PermissionDenied,
            Message = message,
            Details = { Any.Pack(new PermissionDeniedDetails { Reason = reason }) },
        };
        return status.ToRpcException();
    }

    /// <summary>A plain status.</summary>
    public static RpcException Status(StatusCode code, string message) => new(new Grpc.Core.Status(code, message));

    /// <summary>A <c>spire.api.types.Status</c> for per-item batch results.</summary>
    public static Proto.Spire.Types.Status Item(StatusCode code, string message) => new() { Code = (int)code, Message = message };

    /// <summary>The OK item status.</summary>
    public static Proto.Spire.Types.Status ItemOk() => new() { Code = (int)StatusCode.OK, Message = "OK" };
}
