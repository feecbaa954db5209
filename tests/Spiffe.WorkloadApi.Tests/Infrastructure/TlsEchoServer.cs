using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Threading.Channels;

namespace Spiffe.WorkloadApi.Tests.Infrastructure;

/// <summary>
/// A TLS echo server on a loopback TCP port: each connection is authenticated with the given options, reported
/// through <see cref="NextHandshakeAsync"/> (the client certificate or the failure), then echoes what it reads.
/// </summary>
internal sealed class TlsEchoServer : IAsyncDisposable
{
    private readonly TcpListener listener;
    private readonly SslServerAuthenticationOptions options;
    private readonly CancellationTokenSource stop = new();
    private readonly Channel<(X509Certificate2? ClientCertificate, Exception? Error)> handshakes = Channel.CreateUnbounded<(X509Certificate2?, Exception?)>();
    private readonly List<Task> connections = [];
    private readonly Task accepting;

    private TlsEchoServer(SslServerAuthenticationOptions options)
    {
        this.options = options;
        this.listener = new TcpListener(IPAddress.Loopback, 0);
        this.listener.Start();
        this.accepting = this.AcceptAsync();
    }

    public int Port => ((IPEndPoint)this.listener.LocalEndpoint).Port;

    public static TlsEchoServer Start(SslServerAuthenticationOptions options) => new(options);

    /// <summary>Connects, authenticates as a client with <paramref name="clientOptions"/>, and returns the stream.</summary>
    public async Task<SslStream> ConnectAsync(SslClientAuthenticationOptions clientOptions)
    {
        var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, this.Port).DefaultTimeout();
        var ssl = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false);
        try
        {
            await ssl.AuthenticateAsClientAsync(clientOptions).DefaultTimeout();
            return ssl;
        }
        catch
        {
            await ssl.DisposeAsync();
            tcp.Dispose();
            throw;
        }
    }

    public async Task<(X509Certificate2? ClientCertificate, Exception? Error)> NextHandshakeAsync() =>
        await this.handshakes.Reader.ReadAsync().AsTask().DefaultTimeout();

    /// <summary>Sends a message and reads the echo; throws when the connection has been closed.</summary>
    public static async Task<string> EchoAsync(SslStream stream, string message)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(message);
        await stream.WriteAsync(bytes).AsTask().DefaultTimeout();
        var buffer = new byte[bytes.Length];
        await stream.ReadExactlyAsync(buffer).AsTask().DefaultTimeout();
        return System.Text.Encoding.UTF8.GetString(buffer);
    }

    public async ValueTask DisposeAsync()
    {
        await this.stop.CancelAsync();
        this.listener.Stop();
        await Task.WhenAll([this.accepting, .. this.connections]);
        this.stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!this.stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await this.listener.AcceptTcpClientAsync(this.stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            this.connections.Add(this.ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var tcp = client;
        await using var ssl = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false);
        try
        {
            await ssl.AuthenticateAsServerAsync(this.options, this.stop.Token);
        }
        catch (Exception ex)
        {
            this.handshakes.Writer.TryWrite((null, ex));
            return;
        }

        this.handshakes.Writer.TryWrite(((X509Certificate2?)ssl.RemoteCertificate, null));
        var buffer = new byte[256];
        try
        {
            int read;
            while ((read = await ssl.ReadAsync(buffer, this.stop.Token)) > 0)
            {
                await ssl.WriteAsync(buffer.AsMemory(0, read), this.stop.Token);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException)
        {
        }
    }
}
