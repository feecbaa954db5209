using JwtApi.Server;

// The Workload API: `--socket unix:///path/to/api.sock`, or else the SPIFFE_ENDPOINT_SOCKET environment variable.
var socket = args.SkipWhile(arg => arg != "--socket").Skip(1).FirstOrDefault();

// Waits for the JWT bundles (the public keys that sign JWT-SVIDs) and keeps them current as keys rotate.
await using var source = await JwtApiServer.ConnectAsync(socket);

// Plain HTTP on localhost only: see the README before exposing a bearer-token API.
await using var app = JwtApiServer.Build(source, JwtApiServer.Audience, "http://localhost:8080");
await app.RunAsync();
