using System.Net.Http.Headers;
using Spiffe.WorkloadApi;

// The "AI agent": run inside a task (`spiffe-agent task run -agent researcher -id T123 -- dotnet ResearchAgent.dll …`),
// so the agent gives it the task's SPIFFE ID, valid for the task's life only.
// Usage: ResearchAgent --socket unix:///… --tool http://127.0.0.1:8090 [--steal file]
var socket = Option("--socket") ?? Environment.GetEnvironmentVariable("SPIFFE_ENDPOINT_SOCKET")
    ?? throw new ArgumentException("--socket unix:///path/to/api.sock is required");
var tool = (Option("--tool") ?? "http://127.0.0.1:8090").TrimEnd('/');
var steal = Option("--steal");

await using var client = WorkloadApiClient.Create(new WorkloadApiClientOptions { Address = socket });

// 1. A bearer JWT-SVID for the tool's audience.
var jwt = await client.FetchJwtSvidAsync(tool);
Console.WriteLine($"JWT-SVID for {jwt.Id}, jti {jwt.Claims["jti"]}");
using (var plain = new HttpClient())
{
    using var request = new HttpRequestMessage(HttpMethod.Get, tool + "/jwt/search?q=spiffe");
    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", jwt.Token);
    using var response = await plain.SendAsync(request);
    Console.Write($"/jwt/search: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
}

// 2. A WIT + a proof per request: the agent signs each proof with the WIT's key, which never leaves the agent.
var capture = new CaptureHandler();
using (var proven = new HttpClient(new WorkloadProofHandler(new AgentWorkloadProofProvider(client)) { InnerHandler = capture }))
{
    using var response = await proven.GetAsync(new Uri(tool + "/wit/search?q=wimse"));
    Console.Write($"/wit/search: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
}

// For the walk-through: what an attacker who copied the traffic would hold.
if (steal is not null)
{
    await File.WriteAllLinesAsync(steal, [jwt.Token, capture.Wit!, capture.Proof!]);
    Console.WriteLine($"wrote the JWT-SVID, the WIT and the last proof to {steal}");
}

string? Option(string name) => args.SkipWhile(arg => arg != name).Skip(1).FirstOrDefault();

/// <summary>Sends the request on, keeping the last WIT and proof it carried.</summary>
internal sealed class CaptureHandler() : DelegatingHandler(new HttpClientHandler())
{
    public string? Wit { get; private set; }

    public string? Proof { get; private set; }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        this.Wit = request.Headers.GetValues("Workload-Identity-Token").Single();
        this.Proof = request.Headers.GetValues("Workload-Proof-Token").Single();
        return base.SendAsync(request, cancellationToken);
    }
}
