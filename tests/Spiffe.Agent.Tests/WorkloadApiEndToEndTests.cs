using System.Globalization;
using System.Net.Sockets;
using System.Runtime.Versioning;
using System.Text;
using System.Text.Json;
using Grpc.Core;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Spiffe.Agent.Tests.Infrastructure;

namespace Spiffe.Agent.Tests;

/// <summary>
/// The real spiffe-server and spiffe-agent as child processes (one pair for the fixture), with workloads run as
/// children under other uids through setpriv.
/// </summary>
[TestFixture]
[NonParallelizable]
[SupportedOSPlatform("linux")]
public sealed class WorkloadApiEndToEndTests
{
    private const string Domain = "spiffe://example.org";
    private TestDirectory _directory = null!;
    private ServerProcess _server = null!;
    private AgentProcess _agent = null!;
    private string _agentId = null!;
    private int _healthPort;
    private int _metricsPort;
    private readonly HashSet<string> _created = [];

    [OneTimeSetUp]
    public async Task StartStackAsync()
    {
        _directory = new TestDirectory("spe2e");
        _server = new ServerProcess(_directory);
        await _server.StartAsync();
        var token = await _server.GenerateTokenAsync();
        _agentId = ServerProcess.AgentIdFor(token);
        await _server.CreateEntryAsync(_agentId, Domain + "/test-runner", ["unix:uid:0"]);
        _healthPort = FreePort.Next();
        _metricsPort = FreePort.Next();
        _agent = new AgentProcess(_directory, _server, await _server.BundlePemAsync(), extraBlocks: $$"""
            health_checks {
                listener_enabled = true
                bind_address = "127.0.0.1"
                bind_port = "{{_healthPort}}"
            }

            telemetry {
                Prometheus {
                    host = "127.0.0.1"
                    port = {{_metricsPort}}
                }
            }
            """);
        await _agent.StartAsync(token);
    }

    [OneTimeTearDown]
    public async Task StopStackAsync()
    {
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
    public async Task FetchX509Svid_WorkloadsUnderOtherUids_EachGetsExactlyItsEntries()
    {
        // Arrange
        await _server.CreateEntryAsync(_agentId, Domain + "/uid-1001", ["unix:uid:1001"]);
        await _server.CreateEntryAsync(_agentId, Domain + "/uid-1001-and-gid-1999", ["unix:uid:1001", "unix:gid:1999"]);
        await _server.CreateEntryAsync(_agentId, Domain + "/uid-1002-a", ["unix:uid:1002"]);
        await _server.CreateEntryAsync(_agentId, Domain + "/uid-1002-b", ["unix:uid:1002", "unix:gid:1002"]);
        string[] expected1002 = [Domain + "/uid-1002-a", Domain + "/uid-1002-b"];
        await Eventually.WaitAsync(async () => (await FetchIdsAsync(1002)).Order().SequenceEqual(expected1002), "uid 1002's entries to reach the agent");

        // Act
        var ids1001 = await FetchIdsAsync(1001);
        var ids1002 = await FetchIdsAsync(1002);

        // Assert
        Assert.That(ids1001, Is.EqualTo(new[] { Domain + "/uid-1001" }));
        Assert.That(ids1002, Is.EquivalentTo(expected1002));
    }

    [Test]
    public async Task FetchX509Svid_UnregisteredUid_PermissionDenied()
    {
        // Act
        var (exitCode, output, error) = await _agent.CliAsync(1003, "api", "fetch", "x509");

        // Assert
        Assert.That(exitCode, Is.EqualTo(1), output);
        Assert.That(error, Does.Contain("code = PermissionDenied desc = no identity issued"));
    }

    [Test]
    public void FetchX509Svid_WithoutSecurityHeader_InvalidArgument()
    {
        // Arrange
        using var client = new WorkloadClient(_agent.SocketPath);

        // Act
        using var call = client.FetchX509Svid(new Metadata());
        var ex = Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext().DefaultTimeout());

        // Assert
        Assert.That(ex!.StatusCode, Is.EqualTo(StatusCode.InvalidArgument));
        Assert.That(ex.Status.Detail, Is.EqualTo("security header missing from request"));
    }

    [TestCase("sslclient")]
    [TestCase("sslserver")]
    public async Task X509Svids_WrittenByCli_PassStrictOpensslVerification(string purpose)
    {
        // Arrange
        const int uid = 1004;
        await EnsureEntriesAsync(uid, "/verify-a", "/verify-b");
        var output = _directory.Combine("svids-" + purpose);
        Directory.CreateDirectory(output);
        File.SetUnixFileMode(output, (UnixFileMode)0b111_111_111);

        // Act
        var (exitCode, stdout, error) = await _agent.CliAsync(uid, "api", "fetch", "x509", "-write", output, "-silent");

        // Assert
        Assert.That(exitCode, Is.Zero, error);
        Assert.That(stdout, Does.Contain("Writing SVID #1"));
        for (var i = 0; i < 2; i++)
        {
            var svid = Path.Combine(output, $"svid.{i}.pem");
            var (verifyExit, verifyOutput) = await RunAsync("openssl", "verify", "-x509_strict", "-purpose", purpose, "-CAfile", Path.Combine(output, $"bundle.{i}.pem"), "-untrusted", svid, svid);
            Assert.That(verifyExit, Is.Zero, verifyOutput);
            Assert.That(verifyOutput, Does.Contain(": OK"));
            Assert.That(File.GetUnixFileMode(Path.Combine(output, $"svid.{i}.key")), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
        }
    }

    [Test]
    public async Task FetchJwtSvid_Token_ValidatesWithIdentityModelAgainstServedJwks()
    {
        // Arrange
        using var client = new WorkloadClient(_agent.SocketPath);
        var jwt = await client.FetchJwtSvidAsync("e2e-audience", "second-audience");
        var bundles = await client.FetchFirstJwtBundlesAsync();
        var keys = new JsonWebKeySet(bundles.Bundles[Domain].ToStringUtf8()).GetSigningKeys();
        var handler = new JsonWebTokenHandler();
        var parameters = new TokenValidationParameters
        {
            ValidAudience = "e2e-audience",
            ValidateIssuer = false,
            IssuerSigningKeys = keys,
            ValidAlgorithms = ["ES256", "ES384", "RS256", "PS256"],
        };

        // Act
        var result = await handler.ValidateTokenAsync(jwt.Svids[0].Svid, parameters).DefaultTimeout();
        var otherAudience = parameters.Clone();
        otherAudience.ValidAudience = "someone-else";
        var wrongAudience = await handler.ValidateTokenAsync(jwt.Svids[0].Svid, otherAudience).DefaultTimeout();

        // Assert
        Assert.That(result.IsValid, Is.True, result.Exception?.Message);
        Assert.That(result.Claims["sub"], Is.EqualTo(Domain + "/test-runner"));
        Assert.That(jwt.Svids[0].SpiffeId, Is.EqualTo(Domain + "/test-runner"));
        Assert.That(wrongAudience.IsValid, Is.False);
    }

    [Test]
    public async Task ApiFetchAndValidateJwt_Cli_PrintsTokenBundleAndValidation()
    {
        // Arrange
        const int uid = 1006;
        await EnsureEntriesAsync(uid, "/jwt-cli");

        // Act
        var (fetchExit, fetchOutput, fetchError) = await _agent.CliAsync(uid, "api", "fetch", "jwt", "-audience", "svc-a,svc-b");
        var token = fetchOutput.Split('\n')[1].Trim();
        var (validExit, validOutput, _) = await _agent.CliAsync(1007, "api", "validate", "jwt", "-audience", "svc-b", "-svid", token);
        var (invalidExit, _, invalidError) = await _agent.CliAsync(1007, "api", "validate", "jwt", "-audience", "svc-c", "-svid", token);

        // Assert
        Assert.That(fetchExit, Is.Zero, fetchError);
        Assert.That(fetchOutput, Does.StartWith($"token({Domain}/jwt-cli):\n\t"));
        Assert.That(fetchOutput, Does.Contain($"bundle({Domain}):\n\t{{\"keys\":["));
        Assert.That(validExit, Is.Zero);
        Assert.That(validOutput, Does.Contain("SVID is valid.\nSPIFFE ID : " + Domain + "/jwt-cli\nClaims    : {"));
        Assert.That(validOutput, Does.Contain("\"aud\":[\"svc-a\",\"svc-b\"]"));
        Assert.That(invalidExit, Is.EqualTo(1));
        Assert.That(invalidError, Does.Contain("code = InvalidArgument"));
    }

    [Test]
    public async Task ApiWatch_ShortTtlEntry_RotatedSvidArrivesOnOpenStream()
    {
        // Arrange
        const int uid = 1005;
        await _server.CreateEntryAsync(_agentId, Domain + "/rotating", ["unix:uid:1005"], x509SvidTtl: 20);
        await Eventually.WaitAsync(async () => (await FetchIdsAsync(uid)).Count == 1, "the rotating entry to reach the agent");

        // Act
        await using var watch = ChildProcess.Start("dotnet", [TestArtifacts.AgentDll, "api", "watch", "-output", "json", "-socketPath", _agent.SocketPath], uid: uid);
        await Eventually.WaitAsync(() => Task.FromResult(DistinctSvids(watch.Output).Count >= 2), "a rotated SVID on the watch stream", TimeSpan.FromSeconds(45));

        // Assert
        var svids = DistinctSvids(watch.Output);
        Assert.That(svids, Has.Count.GreaterThanOrEqualTo(2));
        Assert.That(watch.HasExited, Is.False, watch.Error);
    }

    [Test]
    public async Task FetchX509Svid_CallerExitsRightAfterConnecting_NeverReceivesSvid()
    {
        // Arrange
        var script = _directory.Combine("caller-exits.py");
        await File.WriteAllTextAsync(script, CallerExitsScript.Source).DefaultTimeout();
        var request = Convert.ToHexString(CallerExitsScript.FetchX509SvidRequest());

        // Act
        await using var caller = ChildProcess.Start("/usr/bin/python3", [script, _agent.SocketPath, request]);
        await caller.WaitForExitAsync().DefaultTimeout();
        var lines = caller.Output.Split('\n', StringSplitOptions.TrimEntries);
        var response = Encoding.Latin1.GetString(Convert.FromHexString(lines.Length > 1 ? lines[1] : string.Empty));
        using var client = new WorkloadClient(_agent.SocketPath);
        var stillServing = await client.IsServingAsync();

        // Assert
        // "closed": the agent had already dropped the connection when the child tried to send.
        Assert.That(lines[0], Is.EqualTo("sent").Or.EqualTo("closed"), caller.Error);
        Assert.That(response, Does.Not.Contain(Domain), "an SVID was sent to a connection whose caller had exited");
        // Depending on how far the caller's exit has progressed, the agent refuses it at tracking (connection closed),
        // at attestation (its /proc entries are gone) or at the liveness check after attestation.
        Assert.That(
            response.Length == 0
                || response.Contains("could not verify existence of the original caller", StringComparison.Ordinal)
                || response.Contains("workload attestation failed", StringComparison.Ordinal),
            Is.True,
            response);
        Assert.That(stillServing, Is.True);
    }

    [Test]
    public async Task GarbageAndMalformedRequests_AgentKeepsServing()
    {
        // Arrange
        using (var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified))
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(_agent.SocketPath)).DefaultTimeout();
            await socket.SendAsync(Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\n\r\n\xff\xfe garbage")).DefaultTimeout();
            socket.Shutdown(SocketShutdown.Send);
            var buffer = new byte[4096];
            while (await socket.ReceiveAsync(buffer).DefaultTimeout() > 0)
            {
            }
        }

        using var client = new WorkloadClient(_agent.SocketPath);
        var raw = new Method<byte[], byte[]>(MethodType.Unary, "SpiffeWorkloadAPI", "FetchJWTSVID", Marshallers.Create(b => b, b => b), Marshallers.Create(b => b, b => b));

        // Act
        var malformed = Assert.ThrowsAsync<RpcException>(() => client.Invoker.AsyncUnaryCall(raw, null, new CallOptions(WorkloadClient.SecurityHeader), [0x0a, 0xff, 0xff, 0xff]).ResponseAsync.DefaultTimeout());
        var response = await client.FetchFirstX509SvidAsync();

        // Assert
        Assert.That(malformed!.StatusCode, Is.Not.EqualTo(StatusCode.OK));
        Assert.That(response.Svids.Select(s => s.SpiffeId), Does.Contain(Domain + "/test-runner"));
        Assert.That(await client.IsServingAsync(), Is.True);
    }

    [Test]
    public async Task NodeGrpcClient_WorkloadProto_FetchesX509SvidAndJwt()
    {
        // Arrange
        if (!CommandExists("npm") || !CommandExists("node"))
        {
            Assert.Ignore("npm and node are needed for the cross-language client test");
        }

        var project = _directory.Combine("node-client");
        Directory.CreateDirectory(project);
        var (npmExit, npmOutput) = await RunAsync("npm", "install", "--prefix", project, "--no-audit", "--no-fund", "--loglevel=error", "@grpc/grpc-js", "@grpc/proto-loader");
        Assert.That(npmExit, Is.Zero, npmOutput);
        var script = Path.Combine(project, "client.js");
        await File.WriteAllTextAsync(script, NodeClientScript.Source).DefaultTimeout();

        // Act
        var (exitCode, output) = await RunAsync("node", script, TestArtifacts.WorkloadProto, _agent.SocketPath);

        // Assert
        Assert.That(exitCode, Is.Zero, output);
        using var json = JsonDocument.Parse(output);
        var x509 = json.RootElement.GetProperty("x509")[0];
        Assert.That(x509.GetProperty("spiffe_id").GetString(), Is.EqualTo(Domain + "/test-runner"));
        Assert.That(x509.GetProperty("chain").GetInt32(), Is.GreaterThan(100));
        Assert.That(x509.GetProperty("key").GetInt32(), Is.GreaterThan(30));
        var jwt = json.RootElement.GetProperty("jwt")[0];
        Assert.That(jwt.GetProperty("spiffe_id").GetString(), Is.EqualTo(Domain + "/test-runner"));
        Assert.That(jwt.GetProperty("svid").GetString()!.Split('.'), Has.Length.EqualTo(3));
    }

    [Test]
    public async Task Sidecar_OneShotHelperConfig_WritesSvidKeyBundleAndJwtFiles()
    {
        // Arrange
        const int uid = 1009;
        await EnsureEntriesAsync(uid, "/sidecar");
        var certs = _directory.Combine("sidecar-certs");
        Directory.CreateDirectory(certs);
        File.SetUnixFileMode(certs, (UnixFileMode)0b111_111_111);
        var config = _directory.Combine("helper.conf");
        await File.WriteAllTextAsync(config, $$"""
            agent_address = "unix://{{_agent.SocketPath}}"
            cert_dir = "{{certs}}"
            svid_file_name = "svid.pem"
            svid_key_file_name = "svid_key.pem"
            svid_bundle_file_name = "bundle.pem"
            jwt_svids = [{ jwt_audience = "sidecar-audience", jwt_svid_file_name = "jwt.token" }]
            jwt_bundle_file_name = "jwt_bundle.json"
            daemon_mode = false
            timeout = "30s"
            """).DefaultTimeout();

        // Act
        var (exitCode, output, error) = await ChildProcess.RunDotnetAsync(TestArtifacts.AgentDll, ["sidecar", "-config", config], uid);

        // Assert
        Assert.That(exitCode, Is.Zero, error + output);
        var svid = Path.Combine(certs, "svid.pem");
        var (verifyExit, verifyOutput) = await RunAsync("openssl", "verify", "-x509_strict", "-purpose", "sslclient", "-CAfile", Path.Combine(certs, "bundle.pem"), "-untrusted", svid, svid);
        Assert.That(verifyExit, Is.Zero, verifyOutput);
        Assert.That((await File.ReadAllTextAsync(Path.Combine(certs, "jwt.token")).DefaultTimeout()).Trim().Split('.'), Has.Length.EqualTo(3));
        Assert.That(File.Exists(Path.Combine(certs, "svid_key.pem")), Is.True);
        Assert.That(File.ReadAllText(Path.Combine(certs, "jwt_bundle.json")), Does.Contain("\"example.org\""));
    }

    [Test]
    public async Task Healthcheck_Cli_HealthyAgentAndMissingSocket()
    {
        // Act
        var (healthyExit, healthyOutput, _) = await _agent.CliAsync(1008, "healthcheck");
        var (missingExit, _, missingError) = await ChildProcess.RunDotnetAsync(TestArtifacts.AgentDll, ["healthcheck", "-socketPath", _directory.Combine("nothing.sock"), "-timeout", "2s"]);

        // Assert
        Assert.That(healthyExit, Is.Zero);
        Assert.That(healthyOutput.Trim(), Is.EqualTo("Agent is healthy."));
        Assert.That(missingExit, Is.EqualTo(1));
        Assert.That(missingError, Does.StartWith("Agent is unhealthy: "));
    }

    [Test]
    public async Task HealthAndMetricsListeners_Running_ReadyAndExportWorkloadApiMetrics()
    {
        // Arrange
        using var http = new HttpClient();
        using (var client = new WorkloadClient(_agent.SocketPath))
        {
            await client.FetchFirstX509SvidAsync();
        }

        // Act
        using var ready = await http.GetAsync(new Uri($"http://127.0.0.1:{_healthPort}/ready")).DefaultTimeout();
        using var live = await http.GetAsync(new Uri($"http://127.0.0.1:{_healthPort}/live")).DefaultTimeout();
        var readyBody = await ready.Content.ReadAsStringAsync().DefaultTimeout();
        var metrics = await http.GetStringAsync(new Uri($"http://127.0.0.1:{_metricsPort}/metrics")).DefaultTimeout();

        // Assert
        Assert.That((int)ready.StatusCode, Is.EqualTo(200), readyBody);
        Assert.That((int)live.StatusCode, Is.EqualTo(200));
        Assert.That(JsonDocument.Parse(readyBody).RootElement.GetProperty("agent").GetProperty("ready").GetBoolean(), Is.True);
        Assert.That(metrics, Does.Contain("spiffe_agent_workload_api_calls_total{"));
        Assert.That(metrics, Does.Contain("method=\"FetchX509SVID\""));
        Assert.That(metrics, Does.Contain("spiffe_agent_workload_api_workload_attestor_calls_total{"));
    }

    private static string Tail(string text) => text.Length <= 6000 ? text : text[^6000..];

    private static List<string> DistinctSvids(string jsonLines) =>
        [.. jsonLines.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(l => l.StartsWith('{'))
            .Select(l => JsonDocument.Parse(l).RootElement.GetProperty("svids")[0].GetProperty("x509_svid").GetString()!)
            .Distinct()];

    private static bool CommandExists(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':').Any(dir => File.Exists(Path.Combine(dir, name)));

    private static async Task<(int ExitCode, string Output)> RunAsync(string fileName, params string[] arguments)
    {
        await using var child = ChildProcess.Start(fileName, arguments);
        var exitCode = await child.WaitForExitAsync().DefaultTimeout();
        return (exitCode, child.Output + child.Error);
    }

    private async Task<List<string>> FetchIdsAsync(int uid)
    {
        var (exitCode, output, _) = await _agent.CliAsync(uid, "api", "fetch", "x509", "-output", "json");
        if (exitCode != 0)
        {
            return [];
        }

        using var json = JsonDocument.Parse(output);
        return [.. json.RootElement.GetProperty("svids").EnumerateArray().Select(s => s.GetProperty("spiffe_id").GetString()!)];
    }

    private async Task EnsureEntriesAsync(int uid, params string[] paths)
    {
        foreach (var path in paths.Where(p => _created.Add(p)))
        {
            await _server.CreateEntryAsync(_agentId, Domain + path, [$"unix:uid:{uid.ToString(CultureInfo.InvariantCulture)}"]);
        }

        await Eventually.WaitAsync(async () => (await FetchIdsAsync(uid)).Count == paths.Length, $"uid {uid}'s entries to reach the agent");
    }
}
