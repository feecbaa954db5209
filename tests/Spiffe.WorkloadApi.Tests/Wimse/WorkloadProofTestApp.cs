using System.Net.Sockets;
using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Spiffe.WorkloadApi.AspNetCore;

namespace Spiffe.WorkloadApi.Tests.Wimse;

/// <summary>
/// A real Kestrel app on a temporary Unix socket protected by <c>AddWorkloadProof</c>; every path answers the
/// caller's name, SPIFFE ID claim, authentication method and proof jti, separated by <c>|</c>. Clients reach it as
/// <c>http://tool.test/…</c>.
/// </summary>
internal sealed class WorkloadProofTestApp : IAsyncDisposable
{
    public const string BaseUri = "http://tool.test/";

    private readonly WebApplication app;
    private readonly string directory;
    private readonly string socketPath;

    private WorkloadProofTestApp(WebApplication app, string directory, string socketPath, ProofLogCapture logs)
    {
        this.app = app;
        this.directory = directory;
        this.socketPath = socketPath;
        this.Logs = logs;
    }

    public ProofLogCapture Logs { get; }

    public static async Task<WorkloadProofTestApp> StartAsync(Action<WorkloadProofOptions> configure)
    {
        var directory = Directory.CreateTempSubdirectory("spiffe-wpt-").FullName;
        var socketPath = Path.Combine(directory, "app.sock");
        var logs = new ProofLogCapture();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(logs);
        builder.Logging.SetMinimumLevel(LogLevel.Debug);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ListenUnixSocket(socketPath));
        builder.Services.AddAuthentication(WorkloadProofDefaults.AuthenticationScheme).AddWorkloadProof(configure);
        builder.Services.AddAuthorization();
        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGet("/{**path}", (ClaimsPrincipal user) => string.Join(
            '|',
            user.Identity!.Name,
            user.FindFirstValue(WorkloadProofDefaults.SpiffeIdClaimType),
            user.FindFirstValue(WorkloadProofDefaults.AuthenticationMethodClaimType),
            user.FindFirstValue(WorkloadProofDefaults.ProofJtiClaimType))).RequireAuthorization();
        await app.StartAsync();
        return new WorkloadProofTestApp(app, directory, socketPath, logs);
    }

    /// <summary>A client whose connections go to the app's socket, with optional handlers (such as a <see cref="WorkloadProofHandler"/>) in front.</summary>
    public HttpClient CreateClient(DelegatingHandler? outer = null)
    {
        var socket = new SocketsHttpHandler
        {
            ConnectCallback = async (_, cancellationToken) =>
            {
                var client = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                await client.ConnectAsync(new UnixDomainSocketEndPoint(this.socketPath), cancellationToken);
                return new NetworkStream(client, ownsSocket: true);
            },
        };
        if (outer is null)
        {
            return new HttpClient(socket) { BaseAddress = new Uri(BaseUri) };
        }

        outer.InnerHandler = socket;
        return new HttpClient(outer) { BaseAddress = new Uri(BaseUri) };
    }

    public async ValueTask DisposeAsync()
    {
        await this.app.StopAsync();
        await this.app.DisposeAsync();
        this.Logs.Dispose();
        Directory.Delete(this.directory, recursive: true);
    }
}
