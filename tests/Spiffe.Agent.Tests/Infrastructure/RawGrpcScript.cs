using System.Buffers.Binary;
using System.Text;
using Google.Protobuf;

namespace Spiffe.Agent.Tests.Infrastructure;

/// <summary>
/// A workload with no gRPC library, for processes the tests start inside a task: a Python script that sends hand-made
/// HTTP/2 gRPC requests (built by <see cref="Request"/>) to the agent's socket, one connection each, and prints every
/// frame it receives as one hex line per request. The argument <c>wait</c> makes it pause until the signal file
/// exists, so the test can change the world (end the task) between two calls.
/// </summary>
internal static class RawGrpcScript
{
    public const string Source = """
        import os, socket, sys, time
        path, signal = sys.argv[1], sys.argv[2]

        def call(request):
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            s.connect(path)
            s.sendall(request)
            s.settimeout(20)
            buffer, received, data = b"", b"", b""
            try:
                while True:
                    while len(buffer) < 9 or len(buffer) < 9 + int.from_bytes(buffer[0:3], "big"):
                        chunk = s.recv(65536)
                        if not chunk:
                            return received
                        buffer += chunk
                    length = int.from_bytes(buffer[0:3], "big")
                    kind, flags, stream = buffer[3], buffer[4], int.from_bytes(buffer[5:9], "big") & 0x7fffffff
                    frame, buffer = buffer[:9 + length], buffer[9 + length:]
                    received += frame
                    if kind == 0x4 and not flags & 0x1:
                        s.sendall(bytes([0, 0, 0, 4, 1, 0, 0, 0, 0]))
                    if stream == 1 and kind == 0x0:
                        data += frame[9:]
                        if len(data) >= 5 and len(data) >= 5 + int.from_bytes(data[1:5], "big"):
                            return received
                    if (stream == 1 and kind == 0x1 and flags & 0x1) or kind in (0x3, 0x7):
                        return received
            except socket.timeout:
                return received
            finally:
                s.close()

        for argument in sys.argv[3:]:
            if argument == "wait":
                while not os.path.exists(signal):
                    time.sleep(0.05)
                continue
            sys.stdout.write(call(bytes.fromhex(argument)).hex() + "\n")
            sys.stdout.flush()
        """;

    /// <summary>HTTP/2 preface, empty SETTINGS, HEADERS (HPACK literals, security header) and one gRPC message ending the stream.</summary>
    public static string Request(string path, IMessage message)
    {
        var request = new List<byte>(Encoding.ASCII.GetBytes("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"));
        request.AddRange(Frame(type: 0x4, flags: 0, stream: 0, []));
        var headers = new List<byte>();
        foreach (var (name, value) in new[]
        {
            (":method", "POST"), (":scheme", "http"), (":path", path), (":authority", "localhost"),
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
        var body = message.ToByteArray();
        var grpcMessage = new byte[5 + body.Length];
        BinaryPrimitives.WriteInt32BigEndian(grpcMessage.AsSpan(1), body.Length);
        body.CopyTo(grpcMessage, 5);
        request.AddRange(Frame(type: 0x0, flags: 0x1, stream: 1, grpcMessage));
        return Convert.ToHexStringLower([.. request]);
    }

    /// <summary>
    /// Reads one printed response: the first gRPC message on stream 1 (parsed with <paramref name="parser"/>), or the
    /// <c>grpc-status</c> of an answer without message (0 when a message arrived).
    /// </summary>
    public static (T? Message, int Status) Response<T>(string hexLine, MessageParser<T> parser)
        where T : class, IMessage<T>
    {
        var bytes = Convert.FromHexString(hexLine.Trim());
        var data = new List<byte>();
        var status = -1;
        for (var offset = 0; offset + 9 <= bytes.Length;)
        {
            var length = (bytes[offset] << 16) | (bytes[offset + 1] << 8) | bytes[offset + 2];
            var type = bytes[offset + 3];
            var stream = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(offset + 5)) & 0x7fffffff;
            var payload = bytes.AsSpan(offset + 9, length);
            if (stream == 1 && type == 0x0)
            {
                data.AddRange(payload.ToArray());
            }
            else if (stream == 1 && type == 0x1)
            {
                status = GrpcStatus(payload) ?? status;
            }

            offset += 9 + length;
        }

        if (data.Count >= 5)
        {
            var messageLength = BinaryPrimitives.ReadInt32BigEndian(data.ToArray().AsSpan(1));
            return (parser.ParseFrom(data.GetRange(5, messageLength).ToArray()), 0);
        }

        return (null, status);
    }

    /// <summary>The value of a literal (not Huffman-coded) <c>grpc-status</c> header in an HPACK block, as Kestrel writes it.</summary>
    private static int? GrpcStatus(ReadOnlySpan<byte> block)
    {
        var name = "grpc-status"u8;
        var at = block.IndexOf(name);
        if (at < 0 || at + name.Length >= block.Length)
        {
            return null;
        }

        var valueLength = block[at + name.Length] & 0x7f;
        return int.Parse(Encoding.ASCII.GetString(block.Slice(at + name.Length + 1, valueLength)), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static byte[] Frame(byte type, byte flags, int stream, byte[] payload) =>
    [
        (byte)(payload.Length >> 16), (byte)(payload.Length >> 8), (byte)payload.Length, type, flags,
        (byte)(stream >> 24), (byte)(stream >> 16), (byte)(stream >> 8), (byte)stream, .. payload,
    ];
}
