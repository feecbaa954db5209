using System.Net.Sockets;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using Microsoft.Extensions.Logging;

namespace Spiffe.WorkloadApi.Internal;

/// <summary>
/// Builds the gRPC channel to a Workload API endpoint: HTTP/2 without TLS (prior knowledge), over a Unix domain
/// socket through <see cref="SocketsHttpHandler.ConnectCallback"/> or over TCP, with the security header on every call.
/// </summary>
internal static class WorkloadApiChannel
{
    public static (GrpcChannel Channel, CallInvoker Invoker) Create(WorkloadApiAddress address, ILoggerFactory? loggerFactory)
    {
        var handler = new SocketsHttpHandler();
        Uri target;
        if (address.IsUnixSocket)
        {
            var endPoint = new UnixDomainSocketEndPoint(address.UnixSocketPath);
            handler.ConnectCallback = (_, cancellationToken) => ConnectUnixAsync(endPoint, cancellationToken);
            target = new Uri("http://localhost");
        }
        else
        {
            target = new Uri("http://" + address.TcpEndPoint);
        }

        var channel = GrpcChannel.ForAddress(target, new GrpcChannelOptions
        {
            HttpHandler = handler,
            DisposeHttpClient = true,
            LoggerFactory = loggerFactory,
        });
        return (channel, channel.Intercept(new SecurityHeaderInterceptor()));
    }

    private static async ValueTask<Stream> ConnectUnixAsync(UnixDomainSocketEndPoint endPoint, CancellationToken cancellationToken)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(endPoint, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
