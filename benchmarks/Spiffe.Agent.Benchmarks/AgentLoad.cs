using System.Globalization;
using System.Text;
using System.Text.Json;
using Grpc.Core;
using Spiffe.Proto.Grpc.Health.V1;
using Spiffe.WorkloadApi.Proto;

namespace Spiffe.Agent.Benchmarks;

/// <summary>
/// The spiffe-agent load command. Starts the real spiffe-server and spiffe-agent (release builds next to this one),
/// a minimal gRPC server process on a Unix socket as the baseline, and measures with 1, 16 and 64 concurrent clients
/// (one connection each): the first message of FetchX509SVID, a cached FetchJWTSVID, and the empty baseline call.
/// Then it reads the agent's own attestation timings from /metrics, and its RSS before and after 10,000 authorized
/// entries.
/// </summary>
internal static class AgentLoad
{
    private const string TrustDomain = "example.org";
    private static readonly Metadata SecurityHeader = new() { { "workload.spiffe.io", "true" } };

    public static async Task<int> MainAsync(string[] args)
    {
        if (args is ["baseline-server", var socketPath])
        {
            return await BaselineServer.RunAsync(socketPath);
        }

        var duration = TimeSpan.FromSeconds(Option(args, "--seconds", 5));
        var entryCount = Option(args, "--entries", 10_000);
        int[] concurrency = [1, 16, 64];
        var bin = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", ".."));
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd('/')).Name;
        var serverDll = Path.Combine(bin, "Spiffe.Server.Cli", configuration, "spiffe-server.dll");
        var agentDll = Path.Combine(bin, "Spiffe.Agent", configuration, "spiffe-agent.dll");
        var selfDll = typeof(AgentLoad).Assembly.Location;
        var directory = Path.Combine(Path.GetTempPath(), "spbench-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(directory);
        try
        {
            await RunAsync(directory, serverDll, agentDll, selfDll, duration, entryCount, concurrency);
            return 0;
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task RunAsync(string directory, string serverDll, string agentDll, string selfDll, TimeSpan duration, int entryCount, int[] concurrency)
    {
        var serverSocket = Path.Combine(directory, "server.sock");
        var agentSocket = Path.Combine(directory, "public", "api.sock");
        var baselineSocket = Path.Combine(directory, "baseline.sock");
        var serverPort = FreePort();
        var metricsPort = FreePort();
        await File.WriteAllTextAsync(Path.Combine(directory, "server.conf"), $$"""
            server {
                bind_address = "127.0.0.1"
                bind_port = "{{serverPort}}"
                socket_path = "{{serverSocket}}"
                trust_domain = "{{TrustDomain}}"
                data_dir = "{{directory}}/server"
                log_level = "WARN"
                ca_ttl = "24h"
                default_x509_svid_ttl = "1h"
                default_jwt_svid_ttl = "5m"
            }
            plugins {
                DataStore "sql" { plugin_data { database_type = "sqlite3" connection_string = "{{directory}}/server/datastore.sqlite3" } }
                KeyManager "disk" { plugin_data { keys_path = "{{directory}}/server/keys.json" } }
                NodeAttestor "join_token" { plugin_data {} }
            }
            """);
        await using var server = Child.Start(Path.Combine(directory, "server.log"), directory, serverDll, "run", "-config", Path.Combine(directory, "server.conf"));
        await WaitServingAsync(serverSocket, "spiffe-server", server);
        var cli = (string[] a) => Child.RunAsync(directory, [serverDll, .. a, "-socketPath", serverSocket]);
        var token = (await cli(["token", "generate"])).Split('\n').First(l => l.StartsWith("Token:", StringComparison.Ordinal))[6..].Trim();
        var agentId = $"spiffe://{TrustDomain}/spire/agent/join_token/{token}";
        var uid = File.ReadLines("/proc/self/status").First(l => l.StartsWith("Uid:", StringComparison.Ordinal)).Split('\t', StringSplitOptions.RemoveEmptyEntries)[1];
        await cli(["entry", "create", "-parentID", agentId, "-spiffeID", $"spiffe://{TrustDomain}/bench", "-selector", "unix:uid:" + uid]);
        await File.WriteAllTextAsync(Path.Combine(directory, "bootstrap.crt"), await cli(["bundle", "show"]));
        await File.WriteAllTextAsync(Path.Combine(directory, "agent.conf"), $$"""
            agent {
                trust_domain = "{{TrustDomain}}"
                server_address = "127.0.0.1"
                server_port = "{{serverPort}}"
                trust_bundle_path = "{{directory}}/bootstrap.crt"
                data_dir = "{{directory}}/agent"
                socket_path = "{{agentSocket}}"
                log_level = "WARN"
            }
            plugins {
                NodeAttestor "join_token" { plugin_data {} }
                KeyManager "disk" { plugin_data { directory = "{{directory}}/agent" } }
                WorkloadAttestor "unix" { plugin_data {} }
            }
            telemetry { Prometheus { host = "127.0.0.1" port = {{metricsPort}} } }
            """);
        await using var agent = Child.Start(Path.Combine(directory, "agent.log"), directory, agentDll, "run", "-config", Path.Combine(directory, "agent.conf"), "-joinToken", token);
        await WaitServingAsync(agentSocket, "spiffe-agent", agent);
        await using var baseline = Child.Start(Path.Combine(directory, "baseline.log"), directory, selfDll, "baseline-server", baselineSocket);
        await WaitServingAsync(baselineSocket, "baseline server", baseline);
        using var http = new HttpClient();

        Console.WriteLine($"spiffe-agent load: {Environment.ProcessorCount} cores, {duration.TotalSeconds:0} s per measurement after 1 s warm-up");
        var results = new List<LoadResult>();
        var before = await Metrics.ScrapeAsync(http, metricsPort);
        foreach (var clients in concurrency)
        {
            results.Add(await LoadRunner.RunAsync("empty gRPC call (Health/Check, minimal server)", baselineSocket, clients, TimeSpan.FromSeconds(1), duration, EmptyCallAsync));
            results.Add(await LoadRunner.RunAsync("FetchX509SVID first message", agentSocket, clients, TimeSpan.FromSeconds(1), duration, FetchX509FirstAsync));
            results.Add(await LoadRunner.RunAsync("FetchJWTSVID (cached)", agentSocket, clients, TimeSpan.FromSeconds(1), duration, FetchJwtAsync));
        }

        var after = await Metrics.ScrapeAsync(http, metricsPort);
        PrintLoad(results, concurrency);
        PrintAttestation(before, after);

        var rssBefore = agent.ResidentBytes();
        var started = TimeProvider.System.GetTimestamp();
        await CreateEntriesAsync(directory, cli, agentId, entryCount);
        var created = TimeProvider.System.GetElapsedTime(started);
        var entries = 0.0;
        var svids = 0.0;
        var stableSince = TimeProvider.System.GetTimestamp();
        while (TimeProvider.System.GetElapsedTime(started) < TimeSpan.FromMinutes(5))
        {
            var text = await Metrics.ScrapeAsync(http, metricsPort);
            var (e, s) = (Metrics.Sum(text, "spiffe_agent_cache_entries"), Metrics.Sum(text, "spiffe_agent_cache_x509_svids"));
            if (e != entries || s != svids)
            {
                (entries, svids, stableSince) = (e, s, TimeProvider.System.GetTimestamp());
            }
            else if (entries >= entryCount + 1 && TimeProvider.System.GetElapsedTime(stableSince) > TimeSpan.FromSeconds(15))
            {
                break;
            }

            await Task.Delay(TimeSpan.FromSeconds(1), TimeProvider.System);
        }

        var synced = TimeProvider.System.GetElapsedTime(started);
        var rssAfter = agent.ResidentBytes();
        var withEntries = await LoadRunner.RunAsync("FetchX509SVID first message", agentSocket, 16, TimeSpan.FromSeconds(1), duration, FetchX509FirstAsync);
        var jwtWithEntries = await LoadRunner.RunAsync("FetchJWTSVID (cached)", agentSocket, 16, TimeSpan.FromSeconds(1), duration, FetchJwtAsync);
        Console.WriteLine();
        Console.WriteLine($"Agent RSS: {Mb(rssBefore)} MB with 1 entry; {Mb(rssAfter)} MB with {entries:0} entries and {svids:0} cached X509-SVIDs "
            + $"(entries created in {created.TotalSeconds:0} s, agent settled {synced.TotalSeconds:0} s after the first was created)");
        Console.WriteLine($"With {entries:0} entries, 16 clients: FetchX509SVID first message {withEntries.Throughput:0}/s, p50 {LoadResult.Ms(withEntries.P50Ms)} ms, "
            + $"p99 {LoadResult.Ms(withEntries.P99Ms)} ms; FetchJWTSVID {jwtWithEntries.Throughput:0}/s, p50 {LoadResult.Ms(jwtWithEntries.P50Ms)} ms, p99 {LoadResult.Ms(jwtWithEntries.P99Ms)} ms");
    }

    private static async Task EmptyCallAsync(Grpc.Net.Client.GrpcChannel channel) =>
        await new Health.HealthClient(channel).CheckAsync(new HealthCheckRequest());

    private static async Task FetchX509FirstAsync(Grpc.Net.Client.GrpcChannel channel)
    {
        using var call = new SpiffeWorkloadAPI.SpiffeWorkloadAPIClient(channel).FetchX509SVID(new X509SVIDRequest(), SecurityHeader);
        if (!await call.ResponseStream.MoveNext(CancellationToken.None) || call.ResponseStream.Current.Svids.Count == 0)
        {
            throw new IOException("no SVID");
        }
    }

    private static async Task FetchJwtAsync(Grpc.Net.Client.GrpcChannel channel)
    {
        var response = await new SpiffeWorkloadAPI.SpiffeWorkloadAPIClient(channel).FetchJWTSVIDAsync(new JWTSVIDRequest { Audience = { "bench" } }, SecurityHeader);
        if (response.Svids.Count == 0)
        {
            throw new IOException("no JWT-SVID");
        }
    }

    private static async Task CreateEntriesAsync(string directory, Func<string[], Task<string>> cli, string agentId, int count)
    {
        const int batch = 1000;
        for (var first = 0; first < count; first += batch)
        {
            var entries = Enumerable.Range(first, Math.Min(batch, count - first)).Select(i => new Dictionary<string, object>
            {
                ["spiffe_id"] = $"spiffe://{TrustDomain}/load/{i}",
                ["parent_id"] = agentId,
                ["selectors"] = new[] { new Dictionary<string, string> { ["type"] = "unix", ["value"] = $"uid:{200_000 + i}" } },
            });
            var file = Path.Combine(directory, "entries.json");
            await File.WriteAllTextAsync(file, JsonSerializer.Serialize(new Dictionary<string, object> { ["entries"] = entries }));
            await cli(["entry", "create", "-data", file, "-output", "json"]);
        }
    }

    private static void PrintLoad(List<LoadResult> results, int[] concurrency)
    {
        var table = new StringBuilder();
        table.AppendLine();
        table.AppendLine("| call | clients | calls/s | p50 ms | p99 ms | failures | throughput ratio | p50 ratio | p99 ratio |");
        table.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var clients in concurrency)
        {
            var baseline = results.First(r => r.Clients == clients && r.Scenario.StartsWith("empty", StringComparison.Ordinal));
            foreach (var r in results.Where(r => r.Clients == clients))
            {
                table.AppendLine(CultureInfo.InvariantCulture, $"| {r.Scenario} | {r.Clients} | {r.Throughput:0} | {LoadResult.Ms(r.P50Ms)} | {LoadResult.Ms(r.P99Ms)} | {r.Failures} | "
                    + $"{r.Throughput / baseline.Throughput:0.00} | {r.P50Ms / baseline.P50Ms:0.00} | {r.P99Ms / baseline.P99Ms:0.00} |");
            }
        }

        Console.Write(table.ToString());
    }

    private static void PrintAttestation(string before, string after)
    {
        const string duration = "spiffe_agent_workload_api_workload_attestation_duration_seconds";
        const string attestor = "spiffe_agent_workload_api_workload_attestor_duration_seconds";
        var count = Metrics.Sum(after, duration + "_count") - Metrics.Sum(before, duration + "_count");
        var sum = Metrics.Sum(after, duration + "_sum") - Metrics.Sum(before, duration + "_sum");
        var unixCount = Metrics.Sum(after, attestor + "_count", "attestor=\"unix\"") - Metrics.Sum(before, attestor + "_count", "attestor=\"unix\"");
        var unixSum = Metrics.Sum(after, attestor + "_sum", "attestor=\"unix\"") - Metrics.Sum(before, attestor + "_sum", "attestor=\"unix\"");
        Console.WriteLine();
        Console.WriteLine($"Warm workload attestation inside the agent: {count:0} attestations, mean {sum / count * 1e6:0} µs per call "
            + $"(unix attestor alone: mean {unixSum / unixCount * 1e6:0} µs over {unixCount:0} runs; PID re-check and task hand-off make up the rest)");
    }

    private static async Task WaitServingAsync(string socketPath, string what, Child process)
    {
        var started = TimeProvider.System.GetTimestamp();
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException(what + " exited during start-up");
            }

            if (File.Exists(socketPath))
            {
                try
                {
                    using var channel = UdsChannel.Create(socketPath);
                    var response = await new Health.HealthClient(channel).CheckAsync(new HealthCheckRequest());
                    if (response.Status == HealthCheckResponse.Types.ServingStatus.Serving)
                    {
                        return;
                    }
                }
                catch (RpcException)
                {
                    // Not ready yet.
                }
            }

            if (TimeProvider.System.GetElapsedTime(started) > TimeSpan.FromMinutes(2))
            {
                throw new TimeoutException(what + " did not become healthy");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200), TimeProvider.System);
        }
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string Mb(long bytes) => (bytes / 1024.0 / 1024.0).ToString("0", CultureInfo.InvariantCulture);

    private static int Option(string[] args, string name, int fallback)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
