using System.Net.Sockets;
using Grpc.Net.Client;

namespace Spiffe.Server.Cli.Client;

/// <summary>Opens gRPC channels to the server's admin API on its Unix domain socket (plaintext HTTP/2).</summary>
internal static class AdminChannel
{
    /// <summary>The socket spiffe-server listens on unless configured otherwise.</summary>
    public const string DefaultSocketPath = "/tmp/spiffe-server/private/api.sock";

    /// <summary>Creates a channel; nothing connects until the first call.</summary>
    /// <param name="socketPath">Path of the admin socket.</param>
    /// <returns>The channel; the caller disposes it.</returns>
    public static GrpcChannel Create(string socketPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(socketPath);
        var endpoint = new UnixDomainSocketEndPoint(socketPath);
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await socket.ConnectAsync(endpoint, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };

        return GrpcChannel.ForAddress("http://localhost", new GrpcChannelOptions { HttpHandler = handler, DisposeHttpClient = true });
    }
}
