using System.Net;
using System.Runtime.Versioning;
using Spiffe.Agent.Tests.Infrastructure;

namespace Spiffe.Agent.Tests.Samples;

/// <summary>
/// samples/AgentTasks end to end: the real server (WIT-SVIDs on) and agent (tasks on), the tool server as a workload of
/// uid 0, and the research agent run by <c>spiffe-agent task run</c> under uid 1011.
/// </summary>
[TestFixture]
[NonParallelizable]
[SupportedOSPlatform("linux")]
public sealed class AgentTasksSampleTests
{
    private const string Domain = "spiffe://example.org";
    private const int TaskUid = 1011;

    private TestDirectory _directory = null!;
    private ServerProcess _server = null!;
    private AgentProcess _agent = null!;
    private ChildProcess _tool = null!;
    private string _adminSocket = null!;
    private string _toolUrl = null!;

    [OneTimeSetUp]
    public async Task StartStackAsync()
    {
        _directory = new TestDirectory("spsmp");
        _server = new ServerProcess(_directory, """experimental { feature_flags = ["wit-svid"] }""");
        await _server.StartAsync();
        var token = await _server.GenerateTokenAsync();
        var agentId = ServerProcess.AgentIdFor(token);
        await _server.CreateEntryAsync(agentId, Domain + "/tool-server", ["unix:uid:0"]);
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
                    parent_cgroup = "spiffe-sample-e2e-{{Guid.NewGuid().ToString("N")[..8]}}"
                    policy_dir = "{{_directory.Combine("policies")}}"
                    audit_dir = "{{_directory.Combine("audit")}}"
                }
                """);
        await _agent.StartAsync(token);

        _toolUrl = $"http://127.0.0.1:{FreePort.Next()}";
        _tool = ChildProcess.Start("dotnet", [SampleDll("ToolServer"), "--socket", "unix://" + _agent.SocketPath, "--url", _toolUrl]);
        await _tool.WaitForLineAsync("tool server on").DefaultTimeout();
    }

    [OneTimeTearDown]
    public async Task StopStackAsync()
    {
        if (_tool is not null)
        {
            await _tool.DisposeAsync();
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

    [Test]
    public async Task ResearchAgent_TaskEndedAndTokensReplayed_SucceedsThenRefused()
    {
        // The task runs as uid 1011: its file goes into a directory that uid may write.
        var loot = Directory.CreateDirectory(_directory.Combine("loot"));
        File.SetUnixFileMode(loot.FullName, (UnixFileMode)0x1FF);
        var stolen = Path.Combine(loot.FullName, "stolen.txt");
        await using var task = ChildProcess.Start("dotnet", [
            TestArtifacts.AgentDll, "task", "run", "-agent", "researcher", "-id", "T123", "-ttl", "5m", "-socketPath", _adminSocket,
            "--", "setpriv", $"--reuid={TaskUid}", $"--regid={TaskUid}", "--clear-groups", "env", "HOME=/tmp", "DOTNET_CLI_HOME=/tmp",
            "dotnet", SampleDll("ResearchAgent"), "--socket", "unix://" + _agent.SocketPath, "--tool", _toolUrl, "--steal", stolen, "--every", "1",
        ]);
        await Eventually.WaitAsync(() => Task.FromResult(File.Exists(stolen) || task.HasExited), "the research agent's first calls");
        Assert.That(task.Output, Does.Contain("/jwt/search: 200").And.Contain("/wit/search: 200").And.Contain("/agent/researcher/task/T123"), task.Error);

        var (exitCode, output, error) = await ChildProcess.RunDotnetAsync(TestArtifacts.AgentDll, ["task", "end", "-id", "T123", "-socketPath", _adminSocket]);
        Assert.That(exitCode, Is.Zero, output + error + task.Output + task.Error);
        await task.WaitForExitAsync().DefaultTimeout();
        Assert.That(task.Output, Does.Contain("/jwt/search: 401"), task.Error);

        var lines = await File.ReadAllLinesAsync(stolen);
        using var http = new HttpClient();
        using var jwtReplay = new HttpRequestMessage(HttpMethod.Get, _toolUrl + "/jwt/search?q=x");
        jwtReplay.Headers.TryAddWithoutValidation("Authorization", "Bearer " + lines[0]);
        using var jwtResponse = await http.SendAsync(jwtReplay).DefaultTimeout();
        using var witReplay = new HttpRequestMessage(HttpMethod.Get, _toolUrl + "/wit/search?q=wimse");
        witReplay.Headers.TryAddWithoutValidation("Workload-Identity-Token", lines[1]);
        witReplay.Headers.TryAddWithoutValidation("Workload-Proof-Token", lines[2]);
        using var witResponse = await http.SendAsync(witReplay).DefaultTimeout();

        Assert.That(jwtResponse.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(await jwtResponse.Content.ReadAsStringAsync(), Does.Contain("revoked"));
        Assert.That(witResponse.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(_tool.Output, Does.Contain("revoked: jti"));
    }

    private static string SampleDll(string project)
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd('/')).Name;
        return Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", project, configuration, project + ".dll"));
    }
}
