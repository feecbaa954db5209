using System.Net;
using Greeter.Server;

// The Workload API: `--socket unix:///path/to/api.sock`, or else the SPIFFE_ENDPOINT_SOCKET environment variable.
var socket = args.SkipWhile(arg => arg != "--socket").Skip(1).FirstOrDefault();

// Waits for this workload's X509-SVID and trust bundle, then keeps both current while the agent rotates them.
await using var source = await GreeterServer.ConnectAsync(socket);

// HTTPS on localhost:8443 with mutual TLS: only the greeter client's SPIFFE ID gets in.
await using var app = GreeterServer.Build(source, GreeterServer.ClientId, new IPEndPoint(IPAddress.Loopback, 8443));
await app.RunAsync();
