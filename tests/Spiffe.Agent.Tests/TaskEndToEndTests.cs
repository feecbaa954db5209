using System.Diagnostics;
using System.Globalization;
using System.Runtime.Versioning;
using System.Text.RegularExpressions;
using Grpc.Core;
using Spiffe.Agent.Tests.Infrastructure;
using AdoptTaskRequest = Spiffe.Proto.Agent.Task.V1.AdoptTaskRequest;
using EndTaskRequest = Spiffe.Proto.Agent.Task.V1.EndTaskRequest;
using ListTasksRequest = Spiffe.Proto.Agent.Task.V1.ListTasksRequest;
using ProtoTask = Spiffe.Proto.Agent.Task.V1.Task;
using StartTaskRequest = Spiffe.Proto.Agent.Task.V1.StartTaskRequest;
using TaskEvent = Spiffe.Proto.Agent.Task.V1.TaskEvent;
using WatchTasksRequest = Spiffe.Proto.Agent.Task.V1.WatchTasksRequest;
using Spiffe.WorkloadApi.Proto;

namespace Spiffe.Agent.Tests;

/// <summary>
/// Task-bound identities end to end: the real spiffe-server, the real spiffe-agent as root with a <c>tasks</c> block,
/// real task cgroups, and workloads that are real processes started with <c>spiffe-agent task run</c>.
/// </summary>
[TestFixture]
[NonParallelizable]
[SupportedOSPlatform("linux")]
public sealed partial class TaskEndToEndTests
{
    private const string ResearcherPolicy = """
        {
          "name": "researcher-data",
          "agents": ["researcher"],
          "rule": "request.data_class != 'secret' && (request.data_class != 'confidential' || request.intent == 'read')",
          "reason": "researchers may only read confidential data and never touch secret data"
        }
        """;

    private TaskStack _stack = null!;

    [OneTimeSetUp]
    public async Task StartStackAsync() =>
        _stack = await TaskStack.StartAsync("sptask", new Dictionary<string, string> { ["researcher.json"] = ResearcherPolicy });

    [OneTimeTearDown]
    public async Task StopStackAsync()
    {
        if (_stack is not null)
        {
            await _stack.DisposeAsync();
        }
    }

    [TearDown]
    public void PrintLogsOnFailure()
    {
        if (TestContext.CurrentContext.Result.Outcome.Status == NUnit.Framework.Interfaces.TestStatus.Failed)
        {
            var log = _stack.Agent.Log;
            TestContext.Out.WriteLine("---- agent log (tail) ----\n" + (log.Length > 8000 ? log[^8000..] : log));
        }
    }

    [Test]
    public async Task TaskRun_TwoTasksSameBinarySameUid_GetDifferentSpiffeIds()
    {
        // Arrange
        await using var first = _stack.StartTaskRun(["-agent", "researcher", "-id", "same-a", "-ttl", "10m"], "sh", "-c", _stack.FetchJwtCommand("svc"));
        await using var second = _stack.StartTaskRun(["-agent", "researcher", "-id", "same-b", "-ttl", "10m"], "sh", "-c", _stack.FetchJwtCommand("svc"));

        // Act
        var firstExit = await first.WaitForExitAsync().DefaultTimeout();
        var secondExit = await second.WaitForExitAsync().DefaultTimeout();

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(firstExit, Is.Zero, first.Error);
            Assert.That(secondExit, Is.Zero, second.Error);
            Assert.That(first.Output, Does.Contain($"token({TaskStack.Domain}/agent/researcher/task/same-a)"));
            Assert.That(first.Output, Does.Not.Contain("same-b"));
            Assert.That(second.Output, Does.Contain($"token({TaskStack.Domain}/agent/researcher/task/same-b)"));
            Assert.That(second.Output, Does.Not.Contain("same-a"));
        }
    }

    [Test]
    public async Task FetchJwt_SameUidOutsideEveryTask_GetsNoIdentity()
    {
        // Arrange
        await using var task = _stack.StartTaskRun(["-agent", "researcher", "-id", "outside-check", "-ttl", "10m"], "sleep", "30");
        await WaitForTaskAsync("outside-check");

        // Act
        var (exitCode, output, error) = await _stack.Agent.CliAsync(null, "api", "fetch", "jwt", "-audience", "svc");

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(exitCode, Is.EqualTo(1));
            Assert.That(error, Does.Contain("code = PermissionDenied desc = no identity issued"));
            Assert.That(output, Does.Not.Contain("task/outside-check"));
        }
    }

    [Test]
    public async Task TaskRun_GrandchildOfTheCommand_GetsTheTaskIdentity()
    {
        // Arrange
        var grandchild = $"sh -c '{_stack.FetchJwtCommand("svc")}; echo done'";
        await using var run = _stack.StartTaskRun(["-agent", "researcher", "-id", "grandchild", "-ttl", "10m"], "sh", "-c", grandchild + " & wait");

        // Act
        var exitCode = await run.WaitForExitAsync().DefaultTimeout();

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(exitCode, Is.Zero, run.Error);
            Assert.That(run.Output, Does.Contain($"token({TaskStack.Domain}/agent/researcher/task/grandchild)"));
            Assert.That(run.Output, Does.Contain("done"));
        }
    }

    [Test]
    public async Task KillMainProcess_TokenRejectedAndStreamEndedWithinASecond()
    {
        // Arrange: the main process (registered with StartTask, no CLI that could end the task itself) waits until it is
        // in the task, fetches a JWT-SVID, keeps a FetchX509SVID stream open in a child, and sleeps.
        var go = _stack.Directory.Combine("kill-go");
        var jwtFile = _stack.Directory.Combine("kill-jwt.txt");
        var watchFile = _stack.Directory.Combine("kill-watch.txt");
        var script = $"while [ ! -f {go} ]; do sleep 0.05; done; {_stack.FetchJwtCommand("svc")} > {jwtFile}; " +
            $"dotnet {TestArtifacts.AgentDll} api watch -socketPath {_stack.Agent.SocketPath} > {watchFile} 2>&1 & exec sleep 300";
        await using var main = ChildProcess.Start("sh", ["-c", script]);
        await _stack.Admin.StartTaskAsync(new StartTaskRequest { Id = "killed", Agent = "researcher", TtlSeconds = 600, MainPid = main.Pid });
        await File.WriteAllTextAsync(go, string.Empty);
        await Eventually.WaitAsync(() => Task.FromResult(File.Exists(jwtFile) && File.ReadAllText(jwtFile).Contains("eyJ", StringComparison.Ordinal)), "the task's JWT-SVID");
        var token = TokenLine().Match(await File.ReadAllTextAsync(jwtFile)).Groups[1].Value;
        using var verifier = new WorkloadClient(_stack.Agent.SocketPath);
        var before = await ValidateAsync(verifier, token);
        await Eventually.WaitAsync(() => Task.FromResult(File.Exists(watchFile) && File.ReadAllText(watchFile).Contains("task/killed", StringComparison.Ordinal)), "the task's X509-SVID stream");

        // Act
        var killed = Stopwatch.StartNew();
        using (var mainProcess = Process.GetProcessById(main.Pid))
        {
            mainProcess.Kill();
        }

        var revokedAfter = await MeasureAsync(async () => await ValidateAsync(verifier, token) is { } status && status.StatusCode == StatusCode.InvalidArgument, killed);
        var streamEndedAfter = await MeasureAsync(() => Task.FromResult(File.ReadAllText(watchFile).Contains("task killed ended", StringComparison.Ordinal)), killed);
        TestContext.Out.WriteLine($"kill -9 → ValidateJWTSVID rejects: {revokedAfter.TotalMilliseconds:F0} ms; → FetchX509SVID stream ended: {streamEndedAfter.TotalMilliseconds:F0} ms (both include up to 50 ms of polling)");

        // Assert
        var after = await ValidateAsync(verifier, token);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(before, Is.Null, "the token validated while the task ran");
            Assert.That(after?.StatusCode, Is.EqualTo(StatusCode.InvalidArgument));
            Assert.That(after?.Detail, Is.EqualTo("token has been revoked"));
            Assert.That(File.ReadAllText(watchFile), Does.Contain("code = PermissionDenied desc = task killed ended (main_process_exited): its identity is revoked"));
            Assert.That(revokedAfter, Is.LessThan(TimeSpan.FromSeconds(5)), "liveness bound; the measured latency is printed above");
            Assert.That(streamEndedAfter, Is.LessThan(TimeSpan.FromSeconds(5)), "liveness bound; the measured latency is printed above");
        }
    }

    [Test]
    public async Task Deadline_Reached_EndsTaskAndDeletesItsEntry()
    {
        // Arrange
        await using var main = ChildProcess.Start("sleep", ["60"]);
        using var watch = _stack.Admin.WatchTasks(new WatchTasksRequest());

        // Act
        var started = await _stack.Admin.StartTaskAsync(new StartTaskRequest { Id = "short", Agent = "researcher", TtlSeconds = 3, MainPid = main.Pid });
        var entriesWhileRunning = await _stack.EntryCountAsync(started.SpiffeId);
        var ended = await NextEndAsync(watch, "short");
        await Eventually.WaitAsync(async () => await _stack.EntryCountAsync(started.SpiffeId) == 0, "the task's entry to be deleted");

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(entriesWhileRunning, Is.EqualTo(1));
            Assert.That(ended.EndReason, Is.EqualTo("deadline_reached"));
            Assert.That(ended.EndedAt, Is.GreaterThanOrEqualTo(started.Deadline));
            Assert.That((await _stack.Admin.ListTasksAsync(new ListTasksRequest())).Tasks.Select(t => t.Id), Does.Not.Contain("short"));
        }
    }

    [TestCase("public", "read", 0, "")]
    [TestCase("confidential", "read", 0, "")]
    [TestCase("confidential", "write", 7, "denied by policy researcher-data: researchers may only read confidential data and never touch secret data")]
    [TestCase("secret", "read", 7, "denied by policy researcher-data: researchers may only read confidential data and never touch secret data")]
    public async Task FetchJwt_IntentAndDataClass_DecidedByPolicy(string dataClass, string intent, int expectedStatus, string expectedMessage)
    {
        // Arrange: curl speaks gRPC over h2c so the request can carry the x-spiffe-* metadata.
        if (!CommandExists("curl"))
        {
            Assert.Ignore("curl is needed to send gRPC metadata from inside a task");
        }

        var request = _stack.Directory.Combine("jwt-request.bin");
        await File.WriteAllBytesAsync(request, [0, 0, 0, 0, 5, 0x0a, 0x03, (byte)'s', (byte)'v', (byte)'c']);
        var curl = $"curl -s -i --http2-prior-knowledge --unix-socket {_stack.Agent.SocketPath} -H 'content-type: application/grpc' " +
            $"-H 'te: trailers' -H 'workload.spiffe.io: true' -H 'x-spiffe-data-class: {dataClass}' -H 'x-spiffe-intent: {intent}' " +
            $"--data-binary @{request} http://localhost/SpiffeWorkloadAPI/FetchJWTSVID | tr -d '\\000'";
        var id = "policy-" + dataClass + "-" + intent;
        await using var run = _stack.StartTaskRun(["-agent", "researcher", "-id", id, "-ttl", "10m"], "sh", "-c", curl);

        // Act
        await run.WaitForExitAsync().DefaultTimeout();

        // Assert
        var status = GrpcStatus().Match(run.Output);
        var message = Uri.UnescapeDataString(GrpcMessage().Match(run.Output).Groups[1].Value.Trim());
        using (Assert.EnterMultipleScope())
        {
            Assert.That(status.Success, Is.True, run.Output + run.Error);
            Assert.That(int.Parse(status.Groups[1].Value, CultureInfo.InvariantCulture), Is.EqualTo(expectedStatus));
            Assert.That(message, Is.EqualTo(expectedMessage));
            Assert.That(run.Output.Contains("eyJ", StringComparison.Ordinal), Is.EqualTo(expectedStatus == 0));
        }
    }

    [Test]
    public async Task AuditVerify_IntactThenEditedRecord_ReportsTheEditedRecord()
    {
        // Arrange
        await using (var run = _stack.StartTaskRun(["-agent", "researcher", "-id", "audited", "-ttl", "10m"], "sh", "-c", _stack.FetchJwtCommand("svc")))
        {
            await run.WaitForExitAsync().DefaultTimeout();
        }

        var copy = _stack.Directory.Combine("audit-copy.log");
        File.Copy(_stack.AuditLogPath, copy);
        var lines = await File.ReadAllLinesAsync(copy);
        var issue = Array.FindIndex(lines, l => l.Contains("\"event\":\"issue\"", StringComparison.Ordinal) && l.Contains("\"task\":\"audited\"", StringComparison.Ordinal));

        // Act
        var intact = await ChildProcess.RunDotnetAsync(TestArtifacts.AgentDll, ["audit", "verify", copy]);
        lines[issue] = lines[issue].Replace("\"task\":\"audited\"", "\"task\":\"innocent\"", StringComparison.Ordinal);
        await File.WriteAllLinesAsync(copy, lines);
        var edited = await ChildProcess.RunDotnetAsync(TestArtifacts.AgentDll, ["audit", "verify", copy]);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(issue, Is.GreaterThanOrEqualTo(0), "the issue of the task's JWT-SVID is audited");
            Assert.That(intact.ExitCode, Is.Zero, intact.Error);
            Assert.That(intact.Output, Does.Contain($"Audit trail verified: {lines.Length} records in 1 file(s)"));
            Assert.That(edited.ExitCode, Is.EqualTo(1));
            Assert.That(edited.Error, Does.Contain($"record {issue} ({copy}, line {issue + 1}): Modified"));
            Assert.That(File.ReadAllText(_stack.AuditLogPath), Does.Not.Contain("eyJ"));
        }
    }

    [Test]
    public async Task StartTask_BadInput_RefusedWithoutOrphanCgroupEntryOrLease()
    {
        // Arrange
        await using var main = ChildProcess.Start("sleep", ["60"]);
        await _stack.Admin.StartTaskAsync(new StartTaskRequest { Id = "dup", Agent = "researcher", TtlSeconds = 600 });
        var leasesBefore = await TaskIdsAsync();
        var cgroupsBefore = _stack.TaskCgroups;

        // Act
        var badId = await StatusOfAsync(_stack.Admin.StartTaskAsync(new StartTaskRequest { Id = "bad/id", Agent = "researcher", TtlSeconds = 60 }).ResponseAsync);
        var overMax = await StatusOfAsync(_stack.Admin.StartTaskAsync(new StartTaskRequest { Id = "too-long", Agent = "researcher", TtlSeconds = 7200 }).ResponseAsync);
        var duplicate = await StatusOfAsync(_stack.Admin.StartTaskAsync(new StartTaskRequest { Id = "dup", Agent = "researcher", TtlSeconds = 60 }).ResponseAsync);
        var unknownPid = await StatusOfAsync(_stack.Admin.AdoptTaskAsync(new AdoptTaskRequest { Id = "ghost", Agent = "researcher", TtlSeconds = 60, Pid = int.MaxValue - 1 }).ResponseAsync);
        await using var otherUid = ChildProcess.Start(
            "setpriv",
            ["--reuid=4242", "--regid=0", "--clear-groups", "dotnet", TestArtifacts.AgentDll, "task", "list", "-socketPath", _stack.AdminSocketPath],
            environment: new Dictionary<string, string> { ["HOME"] = Path.GetTempPath(), ["DOTNET_CLI_HOME"] = Path.GetTempPath() });
        await otherUid.WaitForExitAsync().DefaultTimeout();

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(badId, Is.EqualTo(StatusCode.InvalidArgument));
            Assert.That(overMax, Is.EqualTo(StatusCode.InvalidArgument));
            Assert.That(duplicate, Is.EqualTo(StatusCode.AlreadyExists));
            Assert.That(unknownPid, Is.EqualTo(StatusCode.NotFound));
            Assert.That(otherUid.Error, Does.Contain("code = PermissionDenied desc = uid 4242 may not use the admin API"));
            Assert.That(await TaskIdsAsync(), Is.EqualTo(leasesBefore));
            Assert.That(_stack.TaskCgroups, Is.EqualTo(cgroupsBefore));
            Assert.That(await _stack.EntryCountAsync(TaskStack.Domain + "/agent/researcher/task/too-long"), Is.Zero);
            Assert.That(await _stack.EntryCountAsync(TaskStack.Domain + "/agent/researcher/task/ghost"), Is.Zero);
            Assert.That(await _stack.EntryCountAsync(TaskStack.Domain + "/agent/researcher/task/dup"), Is.EqualTo(1));
        }

        await _stack.Admin.EndTaskAsync(new EndTaskRequest { Id = "dup" });
    }

    [Test]
    public async Task FetchX509_TaskProcess_SvidExpiresByTheDeadline()
    {
        // Arrange: the server must cap the SVID at the entry's expires_at; the agent refuses one that outlives the task.
        var output = _stack.Directory.Combine("x509-out");
        Directory.CreateDirectory(output);
        var fetch = $"dotnet {TestArtifacts.AgentDll} api fetch x509 -timeout 20s -write {output} -socketPath {_stack.Agent.SocketPath}";
        await using var run = _stack.StartTaskRun(["-agent", "researcher", "-id", "x509-deadline", "-ttl", "10m"], "sh", "-c", fetch);

        // Act
        var exitCode = await run.WaitForExitAsync().DefaultTimeout();

        // Assert
        var deadline = DateTimeOffset.ParseExact(
            DeadlineLine().Match(run.Error).Groups[1].Value, "yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
        var pem = Directory.GetFiles(output, "*.pem").Where(f => Path.GetFileName(f).StartsWith("svid", StringComparison.Ordinal)).Order(StringComparer.Ordinal).FirstOrDefault();
        Assert.That(exitCode, Is.Zero, run.Output + run.Error);
        using var leaf = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(await File.ReadAllTextAsync(pem!));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(run.Output, Does.Contain($"{TaskStack.Domain}/agent/researcher/task/x509-deadline"));
            Assert.That(new DateTimeOffset(leaf.NotAfter.ToUniversalTime()), Is.LessThanOrEqualTo(deadline.AddSeconds(1)));
        }
    }

    [Test]
    public async Task AgentRestart_DuringTasks_KeepsLiveLeaseAndEndsLostOneCleanly()
    {
        // Arrange
        await using var survivorMain = ChildProcess.Start("sleep", ["120"]);
        await using var lostMain = ChildProcess.Start("sleep", ["120"]);
        var survivor = await _stack.Admin.StartTaskAsync(new StartTaskRequest { Id = "survivor", Agent = "researcher", TtlSeconds = 600, MainPid = survivorMain.Pid });
        var lost = await _stack.Admin.StartTaskAsync(new StartTaskRequest { Id = "lost", Agent = "researcher", TtlSeconds = 600, MainPid = lostMain.Pid });

        // Act
        await _stack.Agent.StopAsync();
        lostMain.Kill();
        await lostMain.WaitForExitAsync().DefaultTimeout();
        await _stack.Agent.StartAsync(joinToken: null);
        await Eventually.WaitAsync(() => Task.FromResult(File.Exists(_stack.AdminSocketPath)), "the admin socket");
        await Eventually.WaitAsync(async () => await _stack.EntryCountAsync(lost.SpiffeId) == 0, "the lost task's entry to be deleted");

        // Assert
        var tasks = (await _stack.Admin.ListTasksAsync(new ListTasksRequest())).Tasks;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(tasks.Select(t => t.Id), Does.Contain("survivor"));
            Assert.That(tasks.Single(t => t.Id == "survivor").EntryId, Is.EqualTo(survivor.EntryId));
            Assert.That(tasks.Select(t => t.Id), Does.Not.Contain("lost"));
            Assert.That(await _stack.EntryCountAsync(survivor.SpiffeId), Is.EqualTo(1));
            Assert.That(
                File.ReadLines(_stack.AuditLogPath).Count(l => l.Contains("\"event\":\"task_ended\"", StringComparison.Ordinal)
                    && l.Contains("\"task\":\"lost\"", StringComparison.Ordinal) && l.Contains("\"reason\":\"lost_on_restart\"", StringComparison.Ordinal)),
                Is.EqualTo(1));
        }

        await _stack.Admin.EndTaskAsync(new EndTaskRequest { Id = "survivor" });
    }

    [Test]
    public async Task Relay_TaskEndsOnOneAgent_TokenRejectedByAnotherAgent()
    {
        // Arrange
        var (other, otherDirectory) = await _stack.StartSecondAgentAsync();
        try
        {
            await using var run = _stack.StartTaskRun(["-agent", "researcher", "-id", "relayed", "-ttl", "10m"], "sh", "-c", _stack.FetchJwtCommand("svc") + "; sleep 300");
            await Eventually.WaitAsync(() => Task.FromResult(TokenLine().IsMatch(run.Output)), "the task's JWT-SVID");
            var token = TokenLine().Match(run.Output).Groups[1].Value;
            using var remote = new WorkloadClient(other.SocketPath);
            var before = await ValidateAsync(remote, token);

            // Act
            var ended = Stopwatch.StartNew();
            await _stack.Admin.EndTaskAsync(new EndTaskRequest { Id = "relayed", Kill = true });
            var rejectedAfter = await MeasureAsync(async () => await ValidateAsync(remote, token) is { StatusCode: StatusCode.InvalidArgument }, ended);
            TestContext.Out.WriteLine($"EndTask on agent 1 → ValidateJWTSVID on agent 2 rejects: {rejectedAfter.TotalMilliseconds:F0} ms (sync interval 1 s)");

            // Assert
            var after = await ValidateAsync(remote, token);
            using (Assert.EnterMultipleScope())
            {
                Assert.That(before, Is.Null, "agent 2 accepted the token while the task ran");
                Assert.That(after?.Detail, Is.EqualTo("token has been revoked"));
                Assert.That(rejectedAfter, Is.LessThan(TimeSpan.FromSeconds(10)), "liveness bound: one publish plus one sync interval");
            }
        }
        finally
        {
            await other.DisposeAsync();
            otherDirectory.Dispose();
        }
    }

    [Test]
    public async Task RevocationWatch_TaskEnds_SnapshotThenBatchWithItsJti()
    {
        // Arrange
        using var channel = Endpoints.Hosting.UnixSocketChannel.Create(_stack.Agent.SocketPath);
        using var watch = new Proto.Agent.Revocation.V1.Revocation.RevocationClient(channel)
            .Watch(new Proto.Agent.Revocation.V1.WatchRevocationsRequest(), WorkloadClient.SecurityHeader);
        Assert.That(await watch.ResponseStream.MoveNext().DefaultTimeout(), Is.True);
        var snapshot = watch.ResponseStream.Current;

        // Act
        await using (var run = _stack.StartTaskRun(["-agent", "researcher", "-id", "watched", "-ttl", "10m"], "sh", "-c", _stack.FetchJwtCommand("svc")))
        {
            await run.WaitForExitAsync().DefaultTimeout();
        }

        Proto.Agent.Revocation.V1.RevocationEvent? batch = null;
        while (batch is null && await watch.ResponseStream.MoveNext().DefaultTimeout())
        {
            batch = watch.ResponseStream.Current.Revoked.Any(r => r.TaskId == "watched") ? watch.ResponseStream.Current : null;
        }

        // Assert
        var revoked = batch!.Revoked.Single(r => r.TaskId == "watched");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(snapshot.Snapshot, Is.True);
            Assert.That(batch.Snapshot, Is.False);
            Assert.That(revoked.CredentialCase, Is.EqualTo(Proto.Agent.Revocation.V1.RevokedCredential.CredentialOneofCase.Jti));
            Assert.That(revoked.Jti, Does.Match("^[0-9a-f]{32}$"));
            Assert.That(revoked.SpiffeId, Is.EqualTo(TaskStack.Domain + "/agent/researcher/task/watched"));
            Assert.That(revoked.Reason, Is.AnyOf("explicit", "main_process_exited"));
            Assert.That(revoked.ExpiresAt, Is.GreaterThan(revoked.RevokedAt));
        }
    }

    private static bool CommandExists(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':').Any(d => File.Exists(Path.Combine(d, name)));

    private static async Task<Status?> ValidateAsync(WorkloadClient client, string token)
    {
        var method = new Method<ValidateJWTSVIDRequest, ValidateJWTSVIDResponse>(
            MethodType.Unary,
            "SpiffeWorkloadAPI",
            "ValidateJWTSVID",
            Marshallers.Create<ValidateJWTSVIDRequest>(m => Google.Protobuf.MessageExtensions.ToByteArray(m), ValidateJWTSVIDRequest.Parser.ParseFrom),
            Marshallers.Create<ValidateJWTSVIDResponse>(m => Google.Protobuf.MessageExtensions.ToByteArray(m), ValidateJWTSVIDResponse.Parser.ParseFrom));
        try
        {
            await client.Invoker.AsyncUnaryCall(method, null, new CallOptions(WorkloadClient.SecurityHeader), new ValidateJWTSVIDRequest { Audience = "svc", Svid = token })
                .ResponseAsync.DefaultTimeout();
            return null;
        }
        catch (RpcException ex)
        {
            return ex.Status;
        }
    }

    private static async Task<TimeSpan> MeasureAsync(Func<Task<bool>> condition, Stopwatch since)
    {
        while (!await condition())
        {
            if (since.Elapsed > TimeSpan.FromSeconds(30))
            {
                throw new TimeoutException("the revocation was not observed within 30 s");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50), TimeProvider.System);
        }

        return since.Elapsed;
    }

    private static async Task<StatusCode> StatusOfAsync(Task call)
    {
        try
        {
            await call.DefaultTimeout();
            return StatusCode.OK;
        }
        catch (RpcException ex)
        {
            return ex.StatusCode;
        }
    }

    private static async Task<ProtoTask> NextEndAsync(AsyncServerStreamingCall<TaskEvent> watch, string taskId)
    {
        while (await watch.ResponseStream.MoveNext().DefaultTimeout())
        {
            if (watch.ResponseStream.Current is { Kind: TaskEvent.Types.Kind.Ended } end && end.Task.Id == taskId)
            {
                return end.Task;
            }
        }

        throw new InvalidOperationException("the watch ended before the task did");
    }

    private async Task<IReadOnlyList<string>> TaskIdsAsync() =>
        (await _stack.Admin.ListTasksAsync(new ListTasksRequest())).Tasks.Select(t => t.Id).Order(StringComparer.Ordinal).ToList();

    private async Task<ProtoTask> WaitForTaskAsync(string taskId)
    {
        ProtoTask? found = null;
        await Eventually.WaitAsync(
            async () => (found = (await _stack.Admin.ListTasksAsync(new ListTasksRequest())).Tasks.FirstOrDefault(t => t.Id == taskId)) is not null,
            "task " + taskId + " to start");
        return found!;
    }

    [GeneratedRegex(@"^\t(eyJ\S+)", RegexOptions.Multiline)]
    private static partial Regex TokenLine();

    [GeneratedRegex(@"\(deadline (\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}Z)\)")]
    private static partial Regex DeadlineLine();

    [GeneratedRegex(@"grpc-status: (\d+)")]
    private static partial Regex GrpcStatus();

    [GeneratedRegex(@"grpc-message: ([^\r\n]*)")]
    private static partial Regex GrpcMessage();
}
