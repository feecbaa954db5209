using System.Net.Http.Headers;
using Spiffe.WorkloadApi;

// The "AI agent": run inside a task (`spiffe-agent task run -agent researcher -id T123 -- dotnet ResearchAgent.dll …`),
// so the agent gives it the task's SPIFFE ID, valid for the task's life only.
// Usage: ResearchAgent --socket unix:///… --tool http://127.0.0.1:8090 [--steal file] [--every seconds]
// With --every it repeats both calls (same JWT-SVID) until one is refused: run `spiffe-agent task end` meanwhile.
var socket = Option("--socket") ?? Environment.GetEnvironmentVariable("SPIFFE_ENDPOINT_SOCKET")
    ?? throw new ArgumentException("--socket unix:///path/to/api.sock is required");
var tool = (Option("--tool") ?? "http://127.0.0.1:8090").TrimEnd('/');
var steal = Option("--steal");
var every = Option("--every") is { } seconds ? TimeSpan.FromSeconds(int.Parse(seconds, System.Globalization.CultureInfo.InvariantCulture)) : (TimeSpan?)null;

await using var client = WorkloadApiClient.Create(new WorkloadApiClientOptions { Address = socket });

// 1. A bearer JWT-SVID for the tool's audience.
var jwt = await client.FetchJwtSvidAsync(tool);
Console.WriteLine($"JWT-SVID for {jwt.Id}, jti {jwt.Claims["jti"]}");
using var plain = new HttpClient();
var capture = new CaptureHandler();
using var proven = new HttpClient(new WorkloadProofHandler(new AgentWorkloadProofProvider(client)) { InnerHandler = capture });
while (true)
{
    using var request = new HttpRequestMessage(HttpMethod.Get, tool + "/jwt/search?q=spiffe");
    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", jwt.Token);
    using var jwtResponse = await plain.SendAsync(request);
    Console.Write($"/jwt/search: {(int)jwtResponse.StatusCode} {await jwtResponse.Content.ReadAsStringAsync()}");
    if (!jwtResponse.IsSuccessStatusCode)
    {
        return 1;
    }

    // 2. A WIT + a proof per request: the agent signs each proof with the WIT's key, which never leaves the agent.
    using var witResponse = await proven.GetAsync(new Uri(tool + "/wit/search?q=wimse"));
    Console.Write($"/wit/search: {(int)witResponse.StatusCode} {await witResponse.Content.ReadAsStringAsync()}");

    // For the walk-through: what an attacker who copied the traffic would hold.
    if (steal is not null)
    {
        await File.WriteAllLinesAsync(steal + ".tmp", [jwt.Token, capture.Wit!, capture.Proof!]);
        File.Move(steal + ".tmp", steal, overwrite: true);
        Console.WriteLine($"wrote the JWT-SVID, the WIT and the last proof to {steal}");
    }

    if (every is null)
    {
        return witResponse.IsSuccessStatusCode ? 0 : 1;
    }

    await Task.Delay(every.Value, TimeProvider.System);
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
