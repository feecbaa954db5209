using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Spiffe.Agent.Benchmarks;

/// <summary>
/// <c>baseline-server &lt;socket&gt;</c>: a separate process with Kestrel on a Unix socket, HTTP/2 without TLS, and one
/// trivial gRPC method — the same transport as the agent's Workload API without any of its work.
/// </summary>
internal static class BaselineServer
{
    public static async Task<int> RunAsync(string socketPath)
    {
        File.Delete(socketPath);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddGrpc();
        builder.WebHost.ConfigureKestrel(k => k.ListenUnixSocket(socketPath, l => l.Protocols = HttpProtocols.Http2));
        await using var app = builder.Build();
        app.MapGrpcService<BaselineHealthService>();
        await app.StartAsync();
        Console.WriteLine("listening");
        await Console.In.ReadToEndAsync();
        await app.StopAsync();
        return 0;
    }
}
