using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using Grpc.Core;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Spiffe.Agent.Benchmarks;
using Spiffe.Agent.Tests.Infrastructure;
using Spiffe.Agent.Tasks.Policy;
using Spiffe.Proto.Agent.Revocation.V1;
using Spiffe.Proto.Agent.Task.V1;
using Spiffe.Wimse.Benchmarks;
using Spiffe.WorkloadApi.Proto;
using RevocationClient = Spiffe.Proto.Agent.Revocation.V1.Revocation.RevocationClient;
using Task = System.Threading.Tasks.Task;
using TasksClient = Spiffe.Proto.Agent.Task.V1.Tasks.TasksClient;

namespace Spiffe.Tasks.Benchmarks;

/// <summary>
/// The task-bound identity load command. Starts the real spiffe-server and spiffe-agent (tasks enabled, admin entry
/// <c>spiffe_agent:self -admin</c>) and measures in one run:
/// <list type="bullet">
/// <item>task start → first JWT-SVID: a pre-started python process (a plain workload, raw HTTP/2 gRPC) is made a task's
/// main process with <c>StartTask</c> over the admin socket, then fetches its JWT-SVID on the public socket; beside the
/// same python fetch for a plain <c>unix:uid</c> entry;</item>
/// <item>task end → revocation seen: <c>EndTask</c> until an open <c>Revocation.Watch</c> stream delivers the task's jti;</item>
/// <item><see cref="PolicyEngine.Evaluate"/> with 1 and 3 policies, beside a dictionary lookup of the same inputs;</item>
/// <item>a start/end loop of many tasks, then the cgroups, entries and leases left and the agent's RSS.</item>
/// </list>
/// Options: <c>--tasks N</c> (default 50), <c>--loop N</c> (default 1000), <c>--evaluations N</c> (default 20000).
/// </summary>
internal static class TaskLoad
{
    private const string TrustDomainName = "example.org";
    private const string Domain = "spiffe://" + TrustDomainName;
    private const string AgentName = "bench";
    private const string Audience = "https://tool.example";

    private const string Python = """
        import socket, sys, time
        path, request = sys.argv[1], bytes.fromhex(sys.argv[2])

        def call():
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            s.connect(path)
            s.sendall(request)
            s.settimeout(20)
            buffer, received, data = b"", b"", b""
            try:
                while True:
                    while len(buffer) < 9 or len(buffer) < 9 + int.from_bytes(buffer[0:3], "big"):
                        chunk = s.recv(65536)
                        if not chunk:
                            return received, False
                        buffer += chunk
                    length = int.from_bytes(buffer[0:3], "big")
                    kind, flags, stream = buffer[3], buffer[4], int.from_bytes(buffer[5:9], "big") & 0x7fffffff
                    frame, buffer = buffer[:9 + length], buffer[9 + length:]
                    received += frame
                    if kind == 0x4 and not flags & 0x1:
                        s.sendall(bytes([0, 0, 0, 4, 1, 0, 0, 0, 0]))
                    if stream == 1 and kind == 0x0:
                        data += frame[9:]
                        if len(data) >= 5 and len(data) >= 5 + int.from_bytes(data[1:5], "big"):
                            return received, True
                    if (stream == 1 and kind == 0x1 and flags & 0x1) or kind in (0x3, 0x7):
                        return received, False
            except socket.timeout:
                return received, False
            finally:
                s.close()

        for line in sys.stdin:
            started, attempts = time.monotonic(), 0
            while True:
                attempts += 1
                try:
                    received, ok = call()
                except OSError:
                    received, ok = b"", False
                if ok or time.monotonic() - started > 30:
                    break
                time.sleep(0.005)
            elapsed = (time.monotonic() - started) * 1000
            sys.stdout.write("%s %.3f %d %s\n" % ("ok" if ok else "fail", elapsed, attempts, received.hex()))
            sys.stdout.flush()
        """;

    public static async Task<int> MainAsync(string[] args)
    {
        var tasks = Option(args, "--tasks", 50);
        var loop = Option(args, "--loop", 1000);
        var evaluations = Option(args, "--evaluations", 20_000);
        var bin = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", ".."));
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd('/')).Name;
        var serverDll = Path.Combine(bin, "Spiffe.Server.Cli", configuration, "spiffe-server.dll");
        var agentDll = Path.Combine(bin, "Spiffe.Agent", configuration, "spiffe-agent.dll");
        var directory = Path.Combine(Path.GetTempPath(), "sptbench-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(directory);
        var cgroupParent = "spiffe-taskbench-" + Guid.NewGuid().ToString("N")[..8];
        try
        {
            var samples = MeasurePolicy(directory, evaluations);
            var lines = new List<string>();
            samples.AddRange(await MeasureTasksAsync(directory, cgroupParent, serverDll, agentDll, tasks, loop, lines));
            Print(samples, lines);
            return 0;
        }
        finally
        {
            RemoveCgroups(Path.Combine(CgroupMount(), cgroupParent));
            Directory.Delete(directory, recursive: true);
        }
    }

    private static List<Sample> MeasurePolicy(string directory, int evaluations)
    {
        var input = new PolicyInput(
            new WorkloadFacts(["unix:uid:1000", "unix:gid:1000"], 1000, "/usr/bin/agent", new string('a', 64)),
            new TaskFacts("t-1", "researcher", "p-1", 600),
            new RequestFacts("FetchJWTSVID", ["https://api"], Domain + "/agent/researcher/task/t-1", "read", "confidential"));
        var one = Path.Combine(directory, "policies-1");
        var three = Path.Combine(directory, "policies-3");
        Directory.CreateDirectory(one);
        Directory.CreateDirectory(three);
        const string Researcher = """
            { "name": "researcher-data", "agents": ["researcher"], "rule": "request.data_class != 'secret' && (request.data_class != 'confidential' || request.intent == 'read')", "reason": "researchers may only read confidential data" }
            """;
        File.WriteAllText(Path.Combine(one, "researcher.json"), Researcher);
        File.WriteAllText(Path.Combine(three, "researcher.json"), Researcher);
        File.WriteAllText(Path.Combine(three, "short-lived.json"), """
            { "name": "short-lived", "agents": ["*"], "rule": "task.seconds_left > 10", "reason": "the task is about to end" }
            """);
        File.WriteAllText(Path.Combine(three, "audiences.json"), """
            { "name": "audiences", "agents": ["researcher"], "rule": "request.audiences.all(a, a.startsWith('https://')) && 'unix:uid:1000' in workload.selectors", "reason": "https audiences only" }
            """);
        var engineOne = new PolicyEngine(Options.Create(new PolicyOptions { Directory = one }), TimeProvider.System, NullLogger<PolicyEngine>.Instance);
        var engineThree = new PolicyEngine(Options.Create(new PolicyOptions { Directory = three }), TimeProvider.System, NullLogger<PolicyEngine>.Instance);
        Check(engineOne.Evaluate(input).IsAllowed, "one policy");
        Check(engineThree.Evaluate(input).IsAllowed, "three policies");
        var table = new Dictionary<(string, string, string), bool> { [("researcher", "read", "confidential")] = true };

        // Warm-up long enough for tiered compilation to reach the optimised code of every path before any is measured.
        for (var i = 0; i < evaluations; i++)
        {
            engineOne.Evaluate(input);
            engineThree.Evaluate(input);
            Check(table[(input.Task.Agent, input.Request.Intent, input.Request.DataClass)], "lookup");
        }

        return
        [
            Sample.Measure("Baseline: dictionary lookup of (agent, intent, data_class)", 1000, evaluations, _ => Check(table[(input.Task.Agent, input.Request.Intent, input.Request.DataClass)], "lookup")),
            Sample.Measure("PolicyEngine.Evaluate, 1 policy (CEL)", 1000, evaluations, _ => engineOne.Evaluate(input)),
            Sample.Measure("PolicyEngine.Evaluate, 3 policies (CEL)", 1000, evaluations, _ => engineThree.Evaluate(input)),
        ];
    }

    private static async Task<List<Sample>> MeasureTasksAsync(
        string directory, string cgroupParent, string serverDll, string agentDll, int tasks, int loop, List<string> lines)
    {
        var serverSocket = Path.Combine(directory, "server.sock");
        var agentSocket = Path.Combine(directory, "public", "api.sock");
        var adminSocket = Path.Combine(directory, "private", "admin.sock");
        var policyDirectory = Path.Combine(directory, "policies");
        Directory.CreateDirectory(policyDirectory);
        await File.WriteAllTextAsync(Path.Combine(policyDirectory, "bench.json"), $$"""
            { "name": "bench", "agents": ["{{AgentName}}"], "rule": "task.seconds_left > 0", "reason": "the task has ended" }
            """);
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
        var agentId = $"{Domain}/spire/agent/join_token/{token}";
        await cli(["entry", "create", "-parentID", agentId, "-spiffeID", Domain + "/spiffe-agent/admin", "-selector", "spiffe_agent:self", "-admin"]);
        await cli(["entry", "create", "-parentID", agentId, "-spiffeID", Domain + "/plain", "-selector", "unix:uid:0"]);
        await File.WriteAllTextAsync(Path.Combine(directory, "bootstrap.crt"), await cli(["bundle", "show"]));
        await File.WriteAllTextAsync(Path.Combine(directory, "agent.conf"), $$"""
            agent {
                trust_domain = "{{TrustDomainName}}"
                server_address = "127.0.0.1"
                server_port = "{{serverPort}}"
                trust_bundle_path = "{{directory}}/bootstrap.crt"
                data_dir = "{{directory}}/agent"
                socket_path = "{{agentSocket}}"
                admin_socket_path = "{{adminSocket}}"
                log_level = "WARN"
            }
            plugins {
                NodeAttestor "join_token" { plugin_data {} }
                KeyManager "disk" { plugin_data { directory = "{{directory}}/agent" } }
                WorkloadAttestor "unix" { plugin_data {} }
            }
            tasks {
                parent_cgroup = "{{cgroupParent}}"
                max_ttl = "1h"
                policy_dir = "{{policyDirectory}}"
            }
            """);
        await using var agent = Child.Start(Path.Combine(directory, "agent.log"), directory, agentDll, "run", "-config", Path.Combine(directory, "agent.conf"), "-joinToken", token);
        var python = await PythonExecutableAsync();
        var scriptPath = Path.Combine(directory, "fetch.py");
        await File.WriteAllTextAsync(scriptPath, Python);

        using var adminChannel = UdsChannel.Create(adminSocket);
        using var publicChannel = UdsChannel.Create(agentSocket);
        var admin = new TasksClient(adminChannel);

        // The plain (non-task) uid entry: the same python fetch, warmed until the agent has the entry.
        var plainRequest = Request(Domain + "/plain");
        await RetryAsync(
            async () =>
            {
                await using var plain = Fetcher.Start(python, scriptPath, agentSocket, plainRequest);
                Check((await plain.FetchAsync()).Ok, "plain fetch");
            },
            agent,
            "spiffe-agent");

        await RetryAsync(async () => await admin.ListTasksAsync(new ListTasksRequest()), agent, "spiffe-agent admin socket");

        var plainMs = new List<double>();
        var plainFetchMs = new List<double>();
        await using (var plain = Fetcher.Start(python, scriptPath, agentSocket, plainRequest))
        {
            for (var i = 0; i < tasks + 5; i++)
            {
                var start = TimeProvider.System.GetTimestamp();
                var result = await plain.FetchAsync();
                var elapsed = TimeProvider.System.GetElapsedTime(start).TotalMilliseconds;
                Check(result.Ok, "plain fetch");
                if (i >= 5)
                {
                    plainMs.Add(elapsed);
                    plainFetchMs.Add(result.PythonMs);
                }
            }
        }

        // Revocation.Watch on the public socket, read in the background.
        var revocation = new RevocationClient(publicChannel);
        using var watchCancel = new CancellationTokenSource();
        using var watch = revocation.Watch(new WatchRevocationsRequest(), new Metadata { { "workload.spiffe.io", "true" } }, cancellationToken: watchCancel.Token);
        var seen = new System.Collections.Concurrent.ConcurrentDictionary<string, TaskCompletionSource<long>>(StringComparer.Ordinal);
        var snapshot = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var reader = Task.Run(async () =>
        {
            try
            {
                await foreach (var message in watch.ResponseStream.ReadAllAsync(watchCancel.Token))
                {
                    var now = TimeProvider.System.GetTimestamp();
                    snapshot.TrySetResult();
                    foreach (var revoked in message.Revoked.Where(r => r.CredentialCase == RevokedCredential.CredentialOneofCase.Jti))
                    {
                        seen.GetOrAdd(revoked.Jti, _ => new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult(now);
                    }
                }
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.Cancelled)
            {
                // Stopped at the end of the run.
            }
        });
        await snapshot.Task.WaitAsync(TimeSpan.FromSeconds(30));

        var startMs = new List<double>();
        var startCallMs = new List<double>();
        var taskFetchMs = new List<double>();
        var attempts = new List<int>();
        var revokedMs = new List<double>();
        var endCallMs = new List<double>();
        for (var i = 0; i < tasks + 3; i++)
        {
            var id = "svid-" + i.ToString(CultureInfo.InvariantCulture);
            var spiffeId = $"{Domain}/agent/{AgentName}/task/{id}";
            await using var fetcher = Fetcher.Start(python, scriptPath, agentSocket, Request(spiffeId));
            var start = TimeProvider.System.GetTimestamp();
            await admin.StartTaskAsync(new StartTaskRequest { Id = id, Agent = AgentName, TtlSeconds = 600, MainPid = fetcher.Pid });
            var started = TimeProvider.System.GetElapsedTime(start).TotalMilliseconds;
            var result = await fetcher.FetchAsync();
            var elapsed = TimeProvider.System.GetElapsedTime(start).TotalMilliseconds;
            Check(result.Ok, "task fetch " + id);
            var svid = result.Response!.Svids.Single(s => s.SpiffeId == spiffeId);
            var jti = Jti(svid.Svid);
            var waiter = seen.GetOrAdd(jti, _ => new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously));
            var end = TimeProvider.System.GetTimestamp();
            await admin.EndTaskAsync(new EndTaskRequest { Id = id, Kill = true });
            var ended = TimeProvider.System.GetElapsedTime(end).TotalMilliseconds;
            var seenAt = await waiter.Task.WaitAsync(TimeSpan.FromSeconds(30));
            if (i >= 3)
            {
                startMs.Add(elapsed);
                startCallMs.Add(started);
                taskFetchMs.Add(result.PythonMs);
                attempts.Add(result.Attempts);
                revokedMs.Add(TimeProvider.System.GetElapsedTime(end, seenAt).TotalMilliseconds);
                endCallMs.Add(ended);
            }
        }

        await watchCancel.CancelAsync();
        await reader;

        lines.Add(string.Create(CultureInfo.InvariantCulture, $"Task fetch attempts before the first JWT-SVID: max {attempts.Max()}, mean {attempts.Average():0.00} (1 = the first call succeeded)"));

        // The start/end loop.
        var taskParent = Path.Combine(CgroupMount(), cgroupParent);
        var rssBefore = agent.ResidentBytes();
        var entriesBefore = await EntryCountAsync(cli);
        var loopStart = TimeProvider.System.GetTimestamp();
        for (var i = 0; i < loop; i++)
        {
            var id = "loop-" + i.ToString(CultureInfo.InvariantCulture);
            using var sleep = Process.Start(new ProcessStartInfo("sleep", "300") { UseShellExecute = false })!;
            await admin.StartTaskAsync(new StartTaskRequest { Id = id, Agent = AgentName, TtlSeconds = 600, MainPid = sleep.Id });
            await admin.EndTaskAsync(new EndTaskRequest { Id = id, Kill = true });
            await sleep.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        }

        var loopElapsed = TimeProvider.System.GetElapsedTime(loopStart);
        var leases = (await admin.ListTasksAsync(new ListTasksRequest())).Tasks;
        var running = leases.Count(t => t.State == TaskState.Running);
        var cgroups = Directory.Exists(taskParent) ? Directory.GetDirectories(taskParent, "task-*").Select(Path.GetFileName).ToList() : [];
        var entriesAfter = await EntryCountAsync(cli);
        var rssAfter = agent.ResidentBytes();
        lines.Add(string.Create(CultureInfo.InvariantCulture, $"Loop of {loop} tasks (StartTask with main_pid of a `sleep 300`, EndTask kill=true), {loopElapsed.TotalSeconds:0.0} s ({loop / loopElapsed.TotalSeconds:0.0} tasks/s):"));
        await Task.Delay(TimeSpan.FromSeconds(5), TimeProvider.System);
        var cgroupsLater = Directory.Exists(taskParent) ? Directory.GetDirectories(taskParent, "task-*").Select(Path.GetFileName).ToList() : [];
        lines.Add(string.Create(CultureInfo.InvariantCulture, $"- task cgroups left under the parent: {cgroups.Count} right after the loop ({cgroups.Count(n => n!.StartsWith("task-loop-", StringComparison.Ordinal))} of them from the loop), {cgroupsLater.Count} after 5 s more"));
        lines.Add(string.Create(CultureInfo.InvariantCulture, $"- server entries (`entry count`): {entriesBefore} before the loop, {entriesAfter} after"));
        lines.Add(string.Create(CultureInfo.InvariantCulture, $"- leases in ListTasks: {leases.Count} ({running} running)"));
        lines.Add(string.Create(CultureInfo.InvariantCulture, $"- agent VmRSS: {rssBefore / 1048576.0:0.0} MiB before the loop, {rssAfter / 1048576.0:0.0} MiB after"));

        var loadElapsed = TimeSpan.FromMilliseconds(1);
        return
        [
            new Sample("Plain uid entry: python FetchJWTSVID (C# side, stdin line → response)", 1, plainMs, loadElapsed),
            new Sample("Plain uid entry: python FetchJWTSVID (python side)", 1, plainFetchMs, loadElapsed),
            new Sample("Task: StartTask call (admin socket)", 1, startCallMs, loadElapsed),
            new Sample("Task: StartTask → first JWT-SVID in the task's process", 1, startMs, loadElapsed),
            new Sample("Task: first FetchJWTSVID (python side, retries included)", 1, taskFetchMs, loadElapsed),
            new Sample("Task: EndTask call (kill = true)", 1, endCallMs, loadElapsed),
            new Sample("Task: EndTask → jti delivered on Revocation.Watch", 1, revokedMs, loadElapsed),
        ];
    }

    private static void Print(List<Sample> samples, List<string> lines)
    {
        var load = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";
        Console.WriteLine($"Task-bound identities: {Environment.ProcessorCount} cores, {RuntimeInformation.FrameworkDescription}, load average {load}");
        Console.WriteLine();
        Console.WriteLine("| operation | samples | p50 ms | p99 ms | mean ms | µs per op (run total / samples) |");
        Console.WriteLine("|---|--:|--:|--:|--:|--:|");
        foreach (var s in samples)
        {
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"| {s.Name} | {s.Count} | {Sample.Ms(s.P50Ms)} | {Sample.Ms(s.P99Ms)} | {Sample.Ms(s.MeanMs)} | {(s.Count >= 1000 ? (1e6 / s.Throughput).ToString("0.000", CultureInfo.InvariantCulture) : "–")} |"));
        }

        Console.WriteLine();
        foreach (var line in lines)
        {
            Console.WriteLine(line);
        }
    }

    private static JWTSVIDRequest Request(string spiffeId) => new() { Audience = { Audience }, SpiffeId = spiffeId };

    private static string Jti(string jwt)
    {
        var payload = System.Buffers.Text.Base64Url.DecodeFromChars(jwt.Split('.')[1]);
        using var document = JsonDocument.Parse(payload);
        return document.RootElement.GetProperty("jti").GetString() ?? throw new InvalidOperationException("no jti");
    }

    private static async Task<string> EntryCountAsync(Func<string[], Task<string>> cli)
    {
        var output = await cli(["entry", "count"]);
        return output.Trim();
    }

    private static async Task<string> PythonExecutableAsync()
    {
        var info = new ProcessStartInfo("python3", "-c \"import sys; print(sys.executable)\"") { RedirectStandardOutput = true, UseShellExecute = false };
        using var process = Process.Start(info)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return output.Trim();
    }

    private static string CgroupMount() =>
        Directory.Exists("/sys/fs/cgroup/unified") && File.Exists("/sys/fs/cgroup/unified/cgroup.controllers")
            ? "/sys/fs/cgroup/unified"
            : "/sys/fs/cgroup";

    private static void RemoveCgroups(string parent)
    {
        foreach (var task in Directory.Exists(parent) ? Directory.GetDirectories(parent) : [])
        {
            TryRemove(task);
        }

        TryRemove(parent);
    }

    private static void TryRemove(string directory)
    {
        try
        {
            Directory.Delete(directory);
        }
        catch (IOException)
        {
            // Still populated; the kernel keeps it until its processes exit.
        }
    }

    private static void Check(bool condition, string what)
    {
        if (!condition)
        {
            throw new InvalidOperationException(what + " failed");
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
            catch (Exception ex) when (ex is InvalidOperationException or RpcException && TimeProvider.System.GetElapsedTime(started) < TimeSpan.FromMinutes(2))
            {
                await Task.Delay(TimeSpan.FromMilliseconds(300), TimeProvider.System);
            }
        }
    }

    private static async Task RetryAsync(Func<Task> attempt, Child process, string what) =>
        await RetryAsync(async () => { await attempt(); return true; }, process, what);

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

    /// <summary>A python workload (no gRPC library) that performs one raw FetchJWTSVID per line on its stdin.</summary>
    private sealed class Fetcher : IAsyncDisposable
    {
        private readonly Process _process;

        private Fetcher(Process process) => _process = process;

        public int Pid => _process.Id;

        public static Fetcher Start(string python, string script, string socket, JWTSVIDRequest request)
        {
            var info = new ProcessStartInfo(python)
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                UseShellExecute = false,
            };
            info.ArgumentList.Add(script);
            info.ArgumentList.Add(socket);
            info.ArgumentList.Add(RawGrpcScript.Request("/SpiffeWorkloadAPI/FetchJWTSVID", request));
            return new Fetcher(Process.Start(info)!);
        }

        public async Task<(bool Ok, double PythonMs, int Attempts, JWTSVIDResponse? Response)> FetchAsync()
        {
            await _process.StandardInput.WriteLineAsync("go");
            await _process.StandardInput.FlushAsync();
            var line = await _process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60))
                ?? throw new InvalidOperationException("the python fetcher exited");
            var parts = line.Split(' ');
            var response = parts[0] == "ok" ? RawGrpcScript.Response(parts[3], JWTSVIDResponse.Parser).Message : null;
            return (response is not null, double.Parse(parts[1], CultureInfo.InvariantCulture), int.Parse(parts[2], CultureInfo.InvariantCulture), response);
        }

        public async ValueTask DisposeAsync()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            }

            _process.Dispose();
        }
    }
}
