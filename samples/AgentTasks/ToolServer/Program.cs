using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Security.Claims;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Spiffe.Proto.Agent.Revocation.V1;
using Spiffe.WorkloadApi;
using Spiffe.WorkloadApi.AspNetCore;

// A tool an AI agent may call, two ways:
//   /jwt/search  Authorization: Bearer <JWT-SVID>, checked by the agent (ValidateJWTSVID refuses revoked tokens);
//   /wit/search  Workload-Identity-Token + Workload-Proof-Token, checked here against the agent's WIT bundles.
// Usage: ToolServer --socket unix:///tmp/spiffe-agent/public/api.sock [--url http://127.0.0.1:8090]
var socket = Option("--socket") ?? Environment.GetEnvironmentVariable("SPIFFE_ENDPOINT_SOCKET")
    ?? throw new ArgumentException("--socket unix:///path/to/api.sock is required");
var url = Option("--url") ?? "http://127.0.0.1:8090";

// The JWT audience callers ask for, and the base URI their proofs must be bound to: this server's own URL.
var audience = url.TrimEnd('/');

await using var client = WorkloadApiClient.Create(new WorkloadApiClientOptions { Address = socket });
var witBundles = await client.FetchWitBundlesAsync();

var builder = WebApplication.CreateSlimBuilder();
builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
builder.WebHost.UseUrls(url);
builder.Services.AddAuthentication().AddWorkloadProof(options =>
{
    options.ExpectedAudience = audience;
    options.BundleSource = witBundles;
});
builder.Services.AddAuthorization();
var app = builder.Build();
app.UseAuthentication();
app.UseAuthorization();

var revoked = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
_ = FollowRevocationsAsync(socket, revoked, app.Logger, app.Lifetime.ApplicationStopping);

app.MapGet("/jwt/search", async (HttpRequest request, string? q) =>
{
    var header = request.Headers.Authorization.ToString();
    if (!header.StartsWith("Bearer ", StringComparison.Ordinal))
    {
        return Results.Unauthorized();
    }

    try
    {
        // The agent verifies signature, expiry, audience, and that the token's task has not ended.
        var svid = await client.ValidateJwtSvidAsync(header["Bearer ".Length..], audience);
        return Results.Text($"results for \"{q}\" for {svid.Id}\n");
    }
    catch (WorkloadApiException ex)
    {
        app.Logger.LogWarning("JWT-SVID refused: {Reason}", ex.Message);
        return Results.Text("refused: " + ex.Message + "\n", statusCode: StatusCodes.Status401Unauthorized);
    }
});

app.MapGet("/wit/search", [Authorize(AuthenticationSchemes = WorkloadProofDefaults.AuthenticationScheme)]
    (ClaimsPrincipal user, string? q) => $"results for \"{q}\" for {user.Identity!.Name}\n");

Console.WriteLine($"tool server on {url}, audience {audience}");
await app.RunAsync();

string? Option(string name) => args.SkipWhile(arg => arg != name).Skip(1).FirstOrDefault();

// Follows the agent's Revocation.Watch stream: a snapshot of what is revoked now, then each revocation as it happens.
static async Task FollowRevocationsAsync(string socket, ConcurrentDictionary<string, string> revoked, ILogger log, CancellationToken stop)
{
    var path = new Uri(socket).LocalPath;
    using var channel = GrpcChannel.ForAddress("http://localhost", new GrpcChannelOptions
    {
        HttpHandler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, token) =>
            {
                var unix = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                await unix.ConnectAsync(new UnixDomainSocketEndPoint(path), token);
                return new NetworkStream(unix, ownsSocket: true);
            },
        },
    });
    var watch = new Revocation.RevocationClient(channel);
    try
    {
        using var call = watch.Watch(new WatchRevocationsRequest(), new Metadata { { "workload.spiffe.io", "true" } }, cancellationToken: stop);
        await foreach (var change in call.ResponseStream.ReadAllAsync(stop))
        {
            foreach (var item in change.Revoked.Where(r => r.CredentialCase == RevokedCredential.CredentialOneofCase.Jti))
            {
                if (revoked.TryAdd(item.Jti, item.TaskId))
                {
                    Console.WriteLine($"revoked: jti {item.Jti} of task {item.TaskId} ({item.SpiffeId}): {item.Reason}");
                }
            }
        }
    }
    catch (RpcException ex) when (ex.StatusCode == StatusCode.Cancelled || stop.IsCancellationRequested)
    {
        // Shutting down.
    }
    catch (RpcException ex)
    {
        log.LogWarning("revocation feed ended: {Status}", ex.Status);
    }
}
