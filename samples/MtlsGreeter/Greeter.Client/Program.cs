using Greeter.Client;

// The Workload API: `--socket unix:///path/to/api.sock`, or else the SPIFFE_ENDPOINT_SOCKET environment variable.
var socket = args.SkipWhile(arg => arg != "--socket").Skip(1).FirstOrDefault();
var server = new Uri(args.SkipWhile(arg => arg != "--server").Skip(1).FirstOrDefault() ?? "https://localhost:8443");

using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};

// Waits for this workload's X509-SVID and trust bundle, then keeps both current while the agent rotates them.
await using var source = await GreeterClient.ConnectAsync(socket, stop.Token);

// An HttpClient that speaks mutual TLS with our SVID and accepts only the greeter server's SPIFFE ID.
using var http = GreeterClient.Create(source, GreeterClient.ServerId, server, connectionLifetime: TimeSpan.FromMinutes(1));

// One greeting a second until Ctrl-C; SVID rotations happen underneath, without a restart or a failed call.
using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1), TimeProvider.System);
try
{
    do
    {
        try
        {
            Console.WriteLine(await GreeterClient.SayHelloAsync(http, stop.Token));
        }
        catch (HttpRequestException ex)
        {
            Console.Error.WriteLine($"call failed: {ex.Message}");
        }
    }
    while (await timer.WaitForNextTickAsync(stop.Token));
}
catch (OperationCanceledException) when (stop.IsCancellationRequested)
{
    // Ctrl-C.
}
