using JwtApi.Caller;
using Spiffe.WorkloadApi;

// The Workload API: `--socket unix:///path/to/api.sock`, or else the SPIFFE_ENDPOINT_SOCKET environment variable.
var socket = args.SkipWhile(arg => arg != "--socket").Skip(1).FirstOrDefault();
var api = new Uri(args.SkipWhile(arg => arg != "--api").Skip(1).FirstOrDefault() ?? "http://localhost:8080/whoami");
var audience = args.SkipWhile(arg => arg != "--audience").Skip(1).FirstOrDefault() ?? "spiffe://example.org/jwt-api";

await using var workloadApi = WorkloadApiClient.Create(new WorkloadApiClientOptions { Address = socket });
using var http = new HttpClient();

using var response = await JwtApiCaller.CallAsync(workloadApi, http, api, audience);
Console.WriteLine($"{(int)response.StatusCode} {response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
return response.IsSuccessStatusCode ? 0 : 1;
