using System.Net.Sockets;
using System.Runtime.Versioning;

namespace Spiffe.Agent.Attestation.Tests.Infrastructure;

/// <summary>A listening Unix-domain socket in a fresh temporary directory that any user may connect to.</summary>
[SupportedOSPlatform("linux")]
internal sealed class UnixSocketServer : IDisposable
{
    private readonly DirectoryInfo _directory;
    private readonly Socket _listener;

    public UnixSocketServer()
    {
        _directory = Directory.CreateTempSubdirectory("spiffe-attest-");
        File.SetUnixFileMode(_directory.FullName, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
            UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        SocketPath = Path.Combine(_directory.FullName, "api.sock");
        _listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        _listener.Bind(new UnixDomainSocketEndPoint(SocketPath));
        _listener.Listen();
        File.SetUnixFileMode(SocketPath, (UnixFileMode)0x1FF);
    }

    public string SocketPath { get; }

    public ValueTask<Socket> AcceptAsync(CancellationToken cancellationToken) => _listener.AcceptAsync(cancellationToken);

    public void Dispose()
    {
        _listener.Dispose();
        _directory.Delete(recursive: true);
    }
}
