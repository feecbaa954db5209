using Grpc.Core;
using Spiffe.WorkloadApi;

namespace Spiffe.Agent.Commands;

/// <summary>Describes client failures the way spire-agent prints them (<c>rpc error: code = … desc = …</c>).</summary>
internal static class ClientErrors
{
    /// <summary>True for the failures a client verb reports and turns into exit code 1.</summary>
    public static bool IsClientFailure(Exception exception) =>
        exception is WorkloadApiException or RpcException or OperationCanceledException or ArgumentException or IOException or UnauthorizedAccessException;

    /// <summary>The text after <c>Error: </c>.</summary>
    public static string Describe(Exception exception, TimeSpan timeout) => exception switch
    {
        WorkloadApiException { InnerException: RpcException rpc } => Describe(rpc),
        RpcException rpc => Describe(rpc),
        OperationCanceledException => $"rpc error: code = DeadlineExceeded desc = no response within {GoFormat.Duration(timeout)}",
        _ => exception.Message,
    };

    private static string Describe(RpcException exception) =>
        $"rpc error: code = {exception.StatusCode} desc = {exception.Status.Detail}";
}
