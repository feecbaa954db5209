using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using Spiffe.Agent.Benchmarks;
using Spiffe.Core;
using Spiffe.Testing;
using Spiffe.WorkloadApi;

namespace Spiffe.Wimse.Benchmarks;

/// <summary>
/// The proof-of-possession load command. Starts the real spiffe-server (feature flag <c>wit-svid</c>) and spiffe-agent
/// (builds next to this one), then measures in one run:
/// <list type="bullet">
/// <item>the signing oracle, <c>CreateProof</c> through <see cref="AgentWorkloadProofProvider"/> over the agent's Unix
/// socket (attestation, WIT lookup, ES256 signature; the caller is in no task, so no policy or audit), with 1 and 8 concurrent callers;</item>
/// <item><see cref="WorkloadProofVerifier.Verify"/> in process on distinct proofs (replay cache in use);</item>
/// <item>the reference costs: signing and verifying one ES256 JWT with <see cref="ECDsa"/>, and making a proof locally
/// with <see cref="WorkloadProofToken.Create(WitSvid, AsymmetricAlgorithm, WorkloadProofContext, TimeSpan, DateTimeOffset)"/>.</item>
/// </list>
/// Options: <c>--calls N</c> oracle calls per caller (default 2000), <c>--verifications N</c> (default 20000).
/// </summary>
internal static class WimseLoad
{
    private const string TrustDomainName = "example.org";
    private const string Target = "https://tool.example/items";

    public static async Task<int> MainAsync(string[] args)
    {
        var calls = Option(args, "--calls", 2000);
        var verifications = Option(args, "--verifications", 20_000);
        var bin = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", ".."));
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd('/')).Name;
        var serverDll = Path.Combine(bin, "Spiffe.Server.Cli", configuration, "spiffe-server.dll");
        var agentDll = Path.Combine(bin, "Spiffe.Agent", configuration, "spiffe-agent.dll");
        var directory = Path.Combine(Path.GetTempPath(), "spwbench-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(directory);
        try
        {
            var samples = new List<Sample>();
            samples.AddRange(MeasureLocal(verifications));
            samples.AddRange(await MeasureOracleAsync(directory, serverDll, agentDll, calls));
            Print(samples);
            return 0;
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static List<Sample> MeasureLocal(int verifications)
    {
        var trustDomain = TrustDomain.Parse(TrustDomainName);
        var issuer = new TestWitIssuer(trustDomain);
        var now = TimeProvider.System.GetUtcNow();
        var wit = issuer.Issue(SpiffeId.FromPath(trustDomain, "/bench"), now);
        var witSvid = WitSvid.ParseInsecure(wit.Token, now);
        using var jwtKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var signingInput = Encoding.ASCII.GetBytes(SigningInput(now));
        var signature = jwtKey.SignData(signingInput, HashAlgorithmName.SHA256);
        var context = new WorkloadProofContext { Audience = Target };
        var proofs = Enumerable.Range(0, verifications + 1000)
            .Select(_ => WorkloadProofToken.Create(witSvid, wit.Key, context, TimeSpan.FromMinutes(5), now).Token)
            .ToArray();
        var verifier = new WorkloadProofVerifier(issuer.CreateWitBundle(), new InMemoryWptReplayCache(proofs.Length));
        return
        [
            Sample.Measure("ES256 JWT signature (ECDsa P-256, base64url)", 1000, verifications, _ => Base64Url(jwtKey.SignData(signingInput, HashAlgorithmName.SHA256))),
            Sample.Measure("ES256 JWT verification (ECDsa P-256)", 1000, verifications, _ => Check(jwtKey.VerifyData(signingInput, signature, HashAlgorithmName.SHA256))),
            Sample.Measure("WorkloadProofToken.Create in process", 1000, verifications, _ => WorkloadProofToken.Create(witSvid, wit.Key, context, TimeSpan.FromMinutes(1), TimeProvider.System.GetUtcNow())),
            Sample.Measure("WorkloadProofVerifier.Verify (WIT + proof, replay cache)", 1000, verifications, i => verifier.Verify(wit.Token, proofs[i], context, TimeProvider.System.GetUtcNow())),
        ];
    }

    private static async Task<List<Sample>> MeasureOracleAsync(string directory, string serverDll, string agentDll, int calls)
    {
        var serverSocket = Path.Combine(directory, "server.sock");
        var agentSocket = Path.Combine(directory, "public", "api.sock");
        var serverPort = FreePort();
        await File.WriteAllTextAsync(Path.Combine(directory, "server.conf"), $$"""
            server {
                bind_address = "127.0.0.1"
                bind_port = "{{serverPort}}"
                socket_path = "{{serverSocket}}"
                trust_domain = "{{TrustDomainName}}"
                data_dir = "{{directory}}/server"
                log_level = "WARN"
                ca_ttl = "24h"
                experimental { feature_flags = ["wit-svid"] }
            }
            plugins {
                DataStore "sql" { plugin_data { database_type = "sqlite3" connection_string = "{{directory}}/server/datastore.sqlite3" } }
                KeyManager "disk" { plugin_data { keys_path = "{{directory}}/server/keys.json" } }
                NodeAttestor "join_token" { plugin_data {} }
            }
            """);
        await using var server = Child.Start(Path.Combine(directory, "server.log"), directory, serverDll, "run", "-config", Path.Combine(directory, "server.conf"));
        var cli = (string[] a) => Child.RunAsync(directory, [serverDll, .. a, "-socketPath", serverSocket]);
        var token = (await RetryAsync(() => cli(["token", "generate"]), server, "spiffe-server"))
            .Split('\n').First(l => l.StartsWith("Token:", StringComparison.Ordinal))[6..].Trim();
        var agentId = $"spiffe://{TrustDomainName}/spire/agent/join_token/{token}";
        var uid = File.ReadLines("/proc/self/status").First(l => l.StartsWith("Uid:", StringComparison.Ordinal)).Split('\t', StringSplitOptions.RemoveEmptyEntries)[1];
        await cli(["entry", "create", "-parentID", agentId, "-spiffeID", $"spiffe://{TrustDomainName}/bench", "-selector", "unix:uid:" + uid]);
        await File.WriteAllTextAsync(Path.Combine(directory, "bootstrap.crt"), await cli(["bundle", "show"]));
        await File.WriteAllTextAsync(Path.Combine(directory, "agent.conf"), $$"""
            agent {
                trust_domain = "{{TrustDomainName}}"
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
            """);
        await using var agent = Child.Start(Path.Combine(directory, "agent.log"), directory, agentDll, "run", "-config", Path.Combine(directory, "agent.conf"), "-joinToken", token);
        var clients = Enumerable.Range(0, 8).Select(_ => WorkloadApiClient.Create(new WorkloadApiClientOptions { Address = "unix://" + agentSocket })).ToList();
        try
        {
            await RetryAsync(() => clients[0].FetchWitBundlesAsync(), agent, "spiffe-agent");
            var providers = clients.Select(c => new AgentWorkloadProofProvider(c)).ToList();
            var request = new WorkloadProofRequest { TargetUri = Target, Method = "GET" };
            return
            [
                await Sample.MeasureAsync("Oracle CreateProof (real agent, Unix socket)", 1, 200, calls, async i => await providers[0].CreateProofAsync(request, CancellationToken.None)),
                await Sample.MeasureAsync("Oracle CreateProof (real agent, Unix socket)", 8, 200, calls / 4, async i => await providers[i % providers.Count].CreateProofAsync(request, CancellationToken.None)),
            ];
        }
        finally
        {
            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }
        }
    }

    private static void Print(List<Sample> samples)
    {
        var sign = samples.Single(s => s.Name.StartsWith("ES256 JWT signature", StringComparison.Ordinal));
        var verify = samples.Single(s => s.Name.StartsWith("ES256 JWT verification", StringComparison.Ordinal));
        var load = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";
        Console.WriteLine($"Proof of possession: {Environment.ProcessorCount} cores, {RuntimeInformation.FrameworkDescription}, load average {load}");
        Console.WriteLine();
        Console.WriteLine("| operation | callers | samples | ops/s | p50 ms | p99 ms | mean ms | p50 vs ES256 sign | p50 vs ES256 verify |");
        Console.WriteLine("|---|--:|--:|--:|--:|--:|--:|--:|--:|");
        foreach (var s in samples)
        {
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"| {s.Name} | {s.Clients} | {s.Count} | {s.Throughput:0} | {Sample.Ms(s.P50Ms)} | {Sample.Ms(s.P99Ms)} | {Sample.Ms(s.MeanMs)} | {s.P50Ms / sign.P50Ms:0.0}× | {s.P50Ms / verify.P50Ms:0.0}× |"));
        }
    }

    private static string SigningInput(DateTimeOffset now) =>
        Base64Url(Encoding.UTF8.GetBytes("""{"alg":"ES256","kid":"k1","typ":"JWT"}""")) + "."
        + Base64Url(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $$"""{"aud":["https://tool.example"],"exp":{{now.ToUnixTimeSeconds() + 300}},"iat":{{now.ToUnixTimeSeconds()}},"jti":"0123456789abcdef0123456789abcdef","sub":"spiffe://example.org/bench"}""")));

    private static string Base64Url(byte[] bytes) => System.Buffers.Text.Base64Url.EncodeToString(bytes);

    private static void Check(bool verified)
    {
        if (!verified)
        {
            throw new InvalidOperationException("the reference signature did not verify");
        }
    }

    private static async Task<T> RetryAsync<T>(Func<Task<T>> attempt, Child process, string what)
    {
        var started = TimeProvider.System.GetTimestamp();
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException(what + " exited during start-up");
            }

            try
            {
                return await attempt();
            }
            catch (Exception ex) when (ex is InvalidOperationException or WorkloadApiException && TimeProvider.System.GetElapsedTime(started) < TimeSpan.FromMinutes(2))
            {
                await Task.Delay(TimeSpan.FromMilliseconds(300), TimeProvider.System);
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static int Option(string[] args, string name, int fallback)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
