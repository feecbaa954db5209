using System.Globalization;
using System.Runtime.Versioning;
using System.Text.RegularExpressions;
using Grpc.Core;
using Spiffe.Agent.Tests.Infrastructure;
using Spiffe.Core;
using Spiffe.Proto.Agent.Proof.V1;
using Spiffe.WorkloadApi;
using Spiffe.WorkloadApi.Proto;

namespace Spiffe.Agent.Tests;

/// <summary>
/// WIT-SVIDs and the signing oracle for task-bound identities, end to end: the real server (<c>wit-svid</c> flag) and
/// agent (tasks enabled, admin socket, no policy files), tasks started with <c>spiffe-agent task run</c>, and a
/// workload inside the task (uid 1011, no gRPC library: <see cref="RawGrpcScript"/>).
/// </summary>
[TestFixture]
[NonParallelizable]
[SupportedOSPlatform("linux")]
public sealed partial class WitTaskEndToEndTests
{
    private const string Domain = "spiffe://example.org";
    private const string Target = "https://tool.example/items";
    private const int TaskUid = 1011;

    private TestDirectory _directory = null!;
    private ServerProcess _server = null!;
    private AgentProcess _agent = null!;
    private WorkloadApiClient _client = null!;
    private string _adminSocket = null!;
    private string _script = null!;

    [OneTimeSetUp]
    public async Task StartStackAsync()
    {
        _directory = new TestDirectory("spwtk");
        _server = new ServerProcess(_directory, """experimental { feature_flags = ["wit-svid"] }""");
        await _server.StartAsync();
        var token = await _server.GenerateTokenAsync();
        var agentId = ServerProcess.AgentIdFor(token);
        await _server.CreateEntryAsync(agentId, Domain + "/test-runner", ["unix:uid:0"]);
        await _server.CreateEntryAsync(agentId, Domain + "/spiffe-agent/admin", ["spiffe_agent:self"], admin: true);
        _adminSocket = _directory.Combine("admin", "admin.sock");
        Directory.CreateDirectory(_directory.Combine("policies"));
        _agent = new AgentProcess(
            _directory,
            _server,
            await _server.BundlePemAsync(),
            extraAgentSettings: $"admin_socket_path = \"{_adminSocket}\"",
            extraBlocks: $$"""
                tasks {
                    enabled = true
                    parent_cgroup = "spiffe-wit-e2e-{{Guid.NewGuid().ToString("N")[..8]}}"
                    policy_dir = "{{_directory.Combine("policies")}}"
                    audit_dir = "{{_directory.Combine("audit")}}"
                }
                """);
        await _agent.StartAsync(token);
        _client = WorkloadApiClient.Create(new WorkloadApiClientOptions { Address = "unix://" + _agent.SocketPath });
        _script = _directory.Combine("workload.py");
        await File.WriteAllTextAsync(_script, RawGrpcScript.Source).DefaultTimeout();
    }

    [OneTimeTearDown]
    public async Task StopStackAsync()
    {
        if (_client is not null)
        {
            await _client.DisposeAsync();
        }

        if (_agent is not null)
        {
            await _agent.DisposeAsync();
        }

        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        _directory?.Dispose();
    }

    [TearDown]
    public void PrintLogsOnFailure()
    {
        if (TestContext.CurrentContext.Result.Outcome.Status == NUnit.Framework.Interfaces.TestStatus.Failed)
        {
            TestContext.Out.WriteLine("---- agent log (tail) ----\n" + Tail(_agent.Log));
            TestContext.Out.WriteLine("---- server log (tail) ----\n" + Tail(_server.Log));
        }
    }

    [Test]
    public async Task FetchWitSvid_TaskWithKeysNotExportable_KeyWithheldAndTheOracleSignsForTheTask()
    {
        // Arrange
        var taskId = "wit-keys-" + Guid.NewGuid().ToString("N")[..6];
        var taskSpiffeId = $"{Domain}/agent/researcher/task/{taskId}";

        // Act
        await using var task = StartTask(taskId, keysNotExportable: true, WitSvidRequest(), ProofRequest());
        var lines = await ReadLinesAsync(task, 2);
        var deadline = Deadline(task);

        // Assert
        var (wits, witStatus) = RawGrpcScript.Response(lines[0], WITSVIDResponse.Parser);
        Assert.That(witStatus, Is.Zero);
        var item = wits!.Svids.Single();
        Assert.That(item.SpiffeId, Is.EqualTo(taskSpiffeId));
        Assert.That(item.WitSvidKey, Is.Empty, "the task's keys are not exportable");
        var wit = WitSvid.ParseAndValidate(item.WitSvid, await _client.FetchWitBundlesAsync().DefaultTimeout(), TimeProvider.System.GetUtcNow());
        Assert.That(wit.Expiry, Is.LessThanOrEqualTo(deadline), "a task's WIT never outlives the task");
        var (proof, proofStatus) = RawGrpcScript.Response(lines[1], CreateProofResponse.Parser);
        Assert.That(proofStatus, Is.Zero);
        Assert.That(proof!.Wit, Is.EqualTo(item.WitSvid));
        var verified = new WorkloadProofVerifier(await _client.FetchWitBundlesAsync().DefaultTimeout(), new InMemoryWptReplayCache())
            .Verify(proof.Wit, proof.Wpt, new WorkloadProofContext { Audience = Target }, TimeProvider.System.GetUtcNow());
        Assert.That(verified.Id.ToString(), Is.EqualTo(taskSpiffeId));
        Assert.That(await task.WaitForExitAsync().DefaultTimeout(), Is.Zero, task.Error);
    }

    [Test]
    public async Task CreateProof_CallerOutsideTheTask_PermissionDenied()
    {
        // Arrange
        var taskId = "wit-outside-" + Guid.NewGuid().ToString("N")[..6];
        var taskSpiffeId = SpiffeId.Parse($"{Domain}/agent/researcher/task/{taskId}");
        await using var task = StartTask(taskId, keysNotExportable: false, ProofRequest(), "wait");
        var (inside, insideStatus) = RawGrpcScript.Response((await ReadLinesAsync(task, 1))[0], CreateProofResponse.Parser);

        // Act
        var outside = Assert.ThrowsAsync<WorkloadApiException>(() => new AgentWorkloadProofProvider(_client) { Subject = taskSpiffeId }
            .CreateProofAsync(new WorkloadProofRequest { TargetUri = Target, Method = "GET" }, CancellationToken.None).AsTask().DefaultTimeout());

        // Assert
        Assert.That(insideStatus, Is.Zero);
        Assert.That(inside!.SpiffeId, Is.EqualTo(taskSpiffeId.ToString()), "the task's own process gets proofs");
        Assert.That(outside!.StatusCode, Is.EqualTo(StatusCode.PermissionDenied));
        Assert.That(outside.Message, Does.Contain("no identity issued"));
        await File.WriteAllTextAsync(SignalPath(taskId), string.Empty).DefaultTimeout();
        Assert.That(await task.WaitForExitAsync().DefaultTimeout(), Is.Zero, task.Error);
    }

    [Test]
    public async Task CreateProof_AfterTheTaskEnded_PermissionDeniedAndTheWitRevoked()
    {
        // Arrange
        var taskId = "wit-ended-" + Guid.NewGuid().ToString("N")[..6];
        await using var task = StartTask(taskId, keysNotExportable: false, ProofRequest(), "wait", ProofRequest());
        var (before, beforeStatus) = RawGrpcScript.Response((await ReadLinesAsync(task, 1))[0], CreateProofResponse.Parser);
        var witJti = WitSvid.ParseInsecure(before!.Wit, TimeProvider.System.GetUtcNow()).Jti!;
        var proofJti = JsonPayload(before.Wpt).GetProperty("jti").GetString()!;

        // Act
        var (endExit, endOutput, endError) = await ChildProcess.RunDotnetAsync(TestArtifacts.AgentDll, ["task", "end", "-id", taskId, "-socketPath", _adminSocket]);
        await File.WriteAllTextAsync(SignalPath(taskId), string.Empty).DefaultTimeout();
        var lines = await ReadLinesAsync(task, 2);

        // Assert
        Assert.That(beforeStatus, Is.Zero);
        Assert.That(endExit, Is.Zero, endError + endOutput);
        var (after, afterStatus) = RawGrpcScript.Response(lines[1], CreateProofResponse.Parser);
        Assert.That(after, Is.Null);
        Assert.That(afterStatus, Is.EqualTo((int)StatusCode.PermissionDenied));
        Assert.That(File.ReadAllText(_directory.Combine("agent", "revocations.json")), Does.Contain(witJti), "the task's WIT is on the revocation list");
        var audit = File.ReadAllText(_directory.Combine("audit", "audit.log"));
        Assert.That(audit, Does.Contain($"\"jti\":\"{witJti}\",\"proof_jti\":\"{proofJti}\""));
        Assert.That(audit, Does.Contain("\"method\":\"CreateProof\",\"http_method\":\"POST\""));
    }

    private static string Tail(string text) => text.Length > 6000 ? text[^6000..] : text;

    private static string WitSvidRequest() => RawGrpcScript.Request("/SpiffeWorkloadAPI/FetchWITSVID", new WITSVIDRequest());

    private static string ProofRequest() => RawGrpcScript.Request("/spiffe.agent.proof.v1.WorkloadProof/CreateProof", new CreateProofRequest { TargetUri = Target, Method = "POST" });

    private static System.Text.Json.JsonElement JsonPayload(string jwt) =>
        System.Text.Json.JsonDocument.Parse(System.Buffers.Text.Base64Url.DecodeFromChars(jwt.Split('.')[1])).RootElement;

    private static async Task<string[]> ReadLinesAsync(ChildProcess task, int count)
    {
        await Eventually.WaitAsync(
            () => Task.FromResult(task.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length >= count || task.HasExited),
            $"{count} answer(s) from the workload in the task");
        var lines = task.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return lines.Length >= count ? lines : throw new InvalidOperationException($"the task ended early: {task.Error}{task.Output}");
    }

    private static DateTimeOffset Deadline(ChildProcess task) =>
        DeadlineLine().Match(task.Error) is { Success: true } match
            ? DateTimeOffset.ParseExact(match.Groups[1].Value, "u", CultureInfo.InvariantCulture)
            : throw new InvalidOperationException("no deadline in: " + task.Error);

    [GeneratedRegex(@"\(deadline ([^)]+)\)")]
    private static partial Regex DeadlineLine();

    private string SignalPath(string taskId) => _directory.Combine(taskId + ".go");

    /// <summary><c>spiffe-agent task run</c> of the raw workload under uid 1011; the requests run in order (<c>wait</c>: until the signal file exists).</summary>
    private ChildProcess StartTask(string taskId, bool keysNotExportable, params string[] requests)
    {
        List<string> arguments =
        [
            TestArtifacts.AgentDll, "task", "run", "-agent", "researcher", "-id", taskId, "-ttl", "2m", "-socketPath", _adminSocket,
        ];
        if (keysNotExportable)
        {
            arguments.Add("-keysNotExportable");
        }

        arguments.AddRange(
        [
            "--", "setpriv", $"--reuid={TaskUid}", $"--regid={TaskUid}", "--clear-groups", "/usr/bin/python3", _script, _agent.SocketPath, SignalPath(taskId),
            .. requests,
        ]);
        return ChildProcess.Start("dotnet", arguments);
    }
}
