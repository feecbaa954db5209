using System.Globalization;
using System.Runtime.Versioning;
using Grpc.Net.Client;
using Spiffe.Agent.Endpoints.Hosting;
using TasksClient = Spiffe.Proto.Agent.Task.V1.Tasks.TasksClient;

namespace Spiffe.Agent.Tests.Infrastructure;

/// <summary>
/// A real server and a real agent with task-bound identities: the agent's admin entry (<c>spiffe_agent:self</c>,
/// <c>-admin</c>), a <c>tasks</c> block with its own parent cgroup, a policy directory and an admin socket that uid 0 and
/// uid 4243 may use (so its directory is 0750 and a caller with gid 0 can reach it).
/// </summary>
[SupportedOSPlatform("linux")]
internal sealed class TaskStack : IAsyncDisposable
{
    public const string Domain = "spiffe://example.org";
    public const string AdminId = Domain + "/spiffe-agent/admin";

    private readonly List<string> _cgroupParents = [];
    private GrpcChannel? _adminChannel;

    private TaskStack(string prefix)
    {
        Directory = new TestDirectory(prefix);
        Server = new ServerProcess(Directory);
        CgroupParent = "spiffe-e2e-" + Guid.NewGuid().ToString("N")[..8];
        _cgroupParents.Add(CgroupParent);
        PolicyDirectory = Directory.Combine("policies");
        AdminSocketPath = Directory.Combine("private", "admin.sock");
        System.IO.Directory.CreateDirectory(PolicyDirectory);
    }

    public TestDirectory Directory { get; }

    public ServerProcess Server { get; }

    public AgentProcess Agent { get; private set; } = null!;

    public string AgentId { get; private set; } = null!;

    public string CgroupParent { get; }

    public string PolicyDirectory { get; }

    public string AdminSocketPath { get; }

    public string AuditLogPath => Directory.Combine("agent", "audit", "audit.log");

    public TasksClient Admin => new(_adminChannel ??= UnixSocketChannel.Create(AdminSocketPath));

    /// <summary>The task cgroups that exist under this stack's parent cgroup (their task IDs).</summary>
    public IReadOnlyList<string> TaskCgroups
    {
        get
        {
            var parent = Path.Combine(CgroupMount(), CgroupParent);
            return System.IO.Directory.Exists(parent)
                ? System.IO.Directory.GetDirectories(parent, "task-*").Select(d => Path.GetFileName(d)[5..]).Order(StringComparer.Ordinal).ToList()
                : [];
        }
    }

    /// <summary>The health-check listener's port (<c>/ready</c>, <c>/live</c>), or null when not enabled.</summary>
    public int? HealthPort { get; private init; }

    /// <summary>Starts the server and the agent with the policy files given (name → JSON), optionally with the health listener.</summary>
    public static async Task<TaskStack> StartAsync(string prefix, IReadOnlyDictionary<string, string> policies, bool healthChecks = false)
    {
        var stack = new TaskStack(prefix) { HealthPort = healthChecks ? FreePort.Next() : null };
        var health = stack.HealthPort is { } port
            ? $$"""
                health_checks {
                    listener_enabled = true
                    bind_address = "127.0.0.1"
                    bind_port = "{{port.ToString(CultureInfo.InvariantCulture)}}"
                }
                """
            : string.Empty;
        foreach (var (name, json) in policies)
        {
            await File.WriteAllTextAsync(Path.Combine(stack.PolicyDirectory, name), json);
        }

        await stack.Server.StartAsync();
        var token = await stack.Server.GenerateTokenAsync();
        stack.AgentId = ServerProcess.AgentIdFor(token);
        await stack.Server.CreateEntryAsync(stack.AgentId, AdminId, ["spiffe_agent:self"], admin: true);
        stack.Agent = new AgentProcess(
            stack.Directory,
            stack.Server,
            await stack.Server.BundlePemAsync(),
            extraAgentSettings: $"admin_socket_path = \"{stack.AdminSocketPath}\"",
            extraBlocks: $$"""
                tasks {
                    parent_cgroup = "{{stack.CgroupParent}}"
                    max_ttl = "1h"
                    policy_dir = "{{stack.PolicyDirectory}}"
                    allowed_uids = [0, 4243]
                }

                """ + health);
        await stack.Agent.StartAsync(token);
        await Eventually.WaitAsync(() => Task.FromResult(File.Exists(stack.AdminSocketPath)), "the admin socket");
        return stack;
    }

    /// <summary>
    /// Starts another agent of the same server (its own directory, token, sockets and parent cgroup, tasks enabled), as
    /// a second node would run it. The caller disposes the agent, then the directory.
    /// </summary>
    public async Task<(AgentProcess Agent, TestDirectory Directory)> StartSecondAgentAsync()
    {
        var directory = new TestDirectory("sptask2");
        var token = await Server.GenerateTokenAsync();
        _cgroupParents.Add(CgroupParent + "-2");
        var agent = new AgentProcess(
            directory,
            Server,
            await Server.BundlePemAsync(),
            extraAgentSettings: $"admin_socket_path = \"{directory.Combine("private", "admin.sock")}\"",
            extraBlocks: $$"""
                tasks {
                    parent_cgroup = "{{CgroupParent}}-2"
                    policy_dir = "{{PolicyDirectory}}"
                }
                """);
        await agent.StartAsync(token);
        return (agent, directory);
    }

    /// <summary>Runs <c>spiffe-agent task run</c> with <paramref name="arguments"/> then <c>-- command…</c>, in the background.</summary>
    public ChildProcess StartTaskRun(IEnumerable<string> arguments, params string[] command) =>
        ChildProcess.Start("dotnet", [TestArtifacts.AgentDll, "task", "run", .. arguments, "-socketPath", AdminSocketPath, "--", .. command]);

    /// <summary>
    /// The shell command that fetches a JWT-SVID for <paramref name="audience"/> from the agent's public socket (with a
    /// generous client timeout: a cold <c>dotnet</c> start on a loaded CI machine can take seconds).
    /// </summary>
    public string FetchJwtCommand(string audience) =>
        $"dotnet {TestArtifacts.AgentDll} api fetch jwt -timeout 30s -audience {audience} -socketPath {Agent.SocketPath}";

    /// <summary>The server's entries with this SPIFFE ID (their count, from <c>entry show</c>).</summary>
    public async Task<int> EntryCountAsync(string spiffeId)
    {
        var (exitCode, output, error) = await ChildProcess.RunDotnetAsync(
            TestArtifacts.ServerDll, ["entry", "show", "-spiffeID", spiffeId, "-socketPath", Server.SocketPath]);
        if (exitCode != 0)
        {
            throw new InvalidOperationException("entry show failed: " + error + output);
        }

        var found = output.Split('\n').FirstOrDefault(l => l.StartsWith("Found ", StringComparison.Ordinal))
            ?? throw new InvalidOperationException("no count in: " + output);
        return int.Parse(found.Split(' ')[1], CultureInfo.InvariantCulture);
    }

    public async ValueTask DisposeAsync()
    {
        _adminChannel?.Dispose();
        if (Agent is not null)
        {
            await Agent.DisposeAsync();
        }

        await Server.DisposeAsync();
        foreach (var parent in _cgroupParents)
        {
            await RemoveCgroupsAsync(Path.Combine(CgroupMount(), parent));
        }

        Directory.Dispose();
    }

    private static string CgroupMount() =>
        System.IO.Directory.Exists("/sys/fs/cgroup/unified") && File.Exists("/sys/fs/cgroup/unified/cgroup.controllers")
            ? "/sys/fs/cgroup/unified"
            : "/sys/fs/cgroup";

    /// <summary>
    /// Kills whatever a test left in the stack's task cgroups (a task process whose main process was killed lives on,
    /// reparented, in the cgroup of its ended task), then removes them.
    /// </summary>
    private static async Task RemoveCgroupsAsync(string parent)
    {
        foreach (var task in System.IO.Directory.Exists(parent) ? System.IO.Directory.GetDirectories(parent) : [])
        {
            var kill = Path.Combine(task, "cgroup.kill");
            if (File.Exists(kill))
            {
                await File.WriteAllTextAsync(kill, "1");
                await Eventually.WaitAsync(
                    () => Task.FromResult(!File.ReadAllText(Path.Combine(task, "cgroup.events")).Contains("populated 1", StringComparison.Ordinal)),
                    "the task cgroup " + task + " to empty");
            }

            TryRemove(task);
        }

        TryRemove(parent);
    }

    private static void TryRemove(string directory)
    {
        try
        {
            System.IO.Directory.Delete(directory);
        }
        catch (IOException)
        {
            // Still populated by a process that outlived the test; the kernel keeps it until it exits.
        }
    }
}
