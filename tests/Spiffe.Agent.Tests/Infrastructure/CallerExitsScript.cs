using System.Text;

namespace Spiffe.Agent.Tests.Infrastructure;

/// <summary>
/// The PID-reuse attack shape: a process connects to the Workload API and exits at once, while a forked child that
/// inherited the connection sends a well-formed FetchX509SVID on it afterwards (or finds it already closed by the agent). Written in Python (no gRPC library):
/// the request is a hand-made HTTP/2 exchange, and the child prints every byte it receives as hex.
/// </summary>
internal static class CallerExitsScript
{
    public const string Source = """
        import os, socket, sys, time
        path, request = sys.argv[1], bytes.fromhex(sys.argv[2])
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.connect(path)
        parent = os.getpid()
        if os.fork() > 0:
            os._exit(0)
        while os.getppid() == parent:
            time.sleep(0.01)
        time.sleep(0.2)
        try:
            s.sendall(request)
        except (BrokenPipeError, ConnectionResetError):
            sys.stdout.write("closed\n")
            sys.exit(0)
        sys.stdout.write("sent\n")
        s.settimeout(10)
        data = b""
        try:
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    break
                data += chunk
                if b"grpc-status" in data:
                    break
        except socket.timeout:
            pass
        sys.stdout.write(data.hex())
        sys.stdout.flush()
        """;

    /// <summary>HTTP/2 preface, empty SETTINGS, HEADERS (HPACK literals) and an empty gRPC message ending the stream.</summary>
    public static byte[] FetchX509SvidRequest()
    {
        var request = new List<byte>(Encoding.ASCII.GetBytes("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"));
        request.AddRange(Frame(type: 0x4, flags: 0, stream: 0, []));
        var headers = new List<byte>();
        foreach (var (name, value) in new[]
        {
            (":method", "POST"), (":scheme", "http"), (":path", "/SpiffeWorkloadAPI/FetchX509SVID"), (":authority", "localhost"),
            ("content-type", "application/grpc"), ("te", "trailers"), ("workload.spiffe.io", "true"),
        })
        {
            // Literal header field without indexing, new name; lengths below 127 fit the 7-bit prefix.
            headers.Add(0x00);
            headers.Add((byte)name.Length);
            headers.AddRange(Encoding.ASCII.GetBytes(name));
            headers.Add((byte)value.Length);
            headers.AddRange(Encoding.ASCII.GetBytes(value));
        }

        request.AddRange(Frame(type: 0x1, flags: 0x4, stream: 1, [.. headers]));
        request.AddRange(Frame(type: 0x0, flags: 0x1, stream: 1, [0, 0, 0, 0, 0]));
        return [.. request];
    }

    private static byte[] Frame(byte type, byte flags, int stream, byte[] payload) =>
    [
        (byte)(payload.Length >> 16), (byte)(payload.Length >> 8), (byte)payload.Length, type, flags,
        (byte)(stream >> 24), (byte)(stream >> 16), (byte)(stream >> 8), (byte)stream, .. payload,
    ];
}
