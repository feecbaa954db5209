using System.Diagnostics;
using JwtApi.Server;
using Spiffe.Configuration;
using Spiffe.Sidecar;
using YamlDotNet.RepresentationModel;

namespace Spiffe.WorkloadApi.Tests.Samples;

/// <summary>
/// samples/deploy and its spire-config/ counterparts, checked without a cluster or systemd: every manifest parses,
/// the agent and the workload pods meet at the same host socket directory, the configs the manifests and the unit
/// point at are the spire-config/ files, and those load with the agent's and the sidecar's own loaders.
/// </summary>
[TestFixture]
public sealed class DeploymentTests
{
    private static IEnumerable<TestCaseData> KubernetesFiles() =>
        Directory.GetFiles(SampleFiles.Kubernetes, "*.yaml").Order(StringComparer.Ordinal).Select(path => new TestCaseData(path).SetArgDisplayNames(Path.GetFileName(path)));

    [TestCaseSource(nameof(KubernetesFiles))]
    public void Load_KubernetesManifest_EveryDocumentIsANamedObject(string path)
    {
        // Act
        var documents = Manifests.Load(path).ToList();

        // Assert
        Assert.That(documents, Is.Not.Empty);
        Assert.That(
            documents,
            Has.All.Matches<YamlMappingNode>(d => d.Text("apiVersion") is not null && d.Text("kind") is not null && d.Get("metadata")?.Text("name") is not null));
    }

    [TestCase("spiffe-agent", "agent.conf", "agent-k8s.conf")]
    [TestCase("spiffe-helper", "helper.conf", "helper.conf")]
    public void ConfigMap_EmbeddedConfig_IsTheSpireConfigFile(string configMap, string key, string file)
    {
        // Act
        var embedded = Manifests.Find("ConfigMap", configMap).Map("data").Text(key);

        // Assert
        Assert.That(embedded, Is.EqualTo(File.ReadAllText(SampleFiles.SpireConfig(file))));
    }

    [Test]
    public void AgentDaemonSet_AgentConfFromConfigMap_ServesTheSocketInAWritableHostPathDirectory()
    {
        // Arrange
        var (pod, agent) = AgentContainer();
        var errors = new ConfigErrors();

        // Act
        var config = AgentConf(pod, agent, errors);
        var socketPath = config.GetSection("agent")!.GetString("socket_path")!;
        var socketMount = Manifests.Mounts(pod, agent).Single(m => m.MountPath == Path.GetDirectoryName(socketPath));

        // Assert
        Assert.That(errors.Items, Is.Empty);
        Assert.That(pod.Text("hostPID"), Is.EqualTo("true"));
        Assert.That(socketMount.HostPath, Is.Not.Null);
        Assert.That(socketMount.ReadOnly, Is.False);
    }

    [Test]
    public void AgentDaemonSet_Probes_HitTheHealthListenerOfAgentConf()
    {
        // Arrange
        var (pod, agent) = AgentContainer();
        var errors = new ConfigErrors();
        var health = AgentConf(pod, agent, errors).GetSection("health_checks")!;
        var healthPort = agent.Items("ports").Single(p => p.Text("name") == "health");

        // Act
        var liveness = agent.Map("livenessProbe").Map("httpGet");
        var readiness = agent.Map("readinessProbe").Map("httpGet");

        // Assert
        Assert.That(errors.Items, Is.Empty);
        Assert.That(health.GetBool("listener_enabled"), Is.True);
        Assert.That(health.GetString("bind_address"), Is.EqualTo("0.0.0.0"), "the kubelet probes the pod's IP, not loopback");
        Assert.That(healthPort.Text("containerPort"), Is.EqualTo(health.GetString("bind_port")));
        Assert.That((liveness.Text("path"), liveness.Text("port")), Is.EqualTo((health.GetString("live_path"), "health")));
        Assert.That((readiness.Text("path"), readiness.Text("port")), Is.EqualTo((health.GetString("ready_path"), "health")));
    }

    [Test]
    public void WorkloadPod_AppAndSidecar_ReachTheAgentSocketThroughItsHostDirectory()
    {
        // Arrange
        var (hostDirectory, socketName) = AgentSocket();
        var pod = Manifests.PodSpec(Manifests.Find("Pod", "my-app"));
        var app = Manifests.Container(pod, "app");
        var sidecar = Manifests.Container(pod, "spiffe-helper");

        // Act
        var appSocket = Manifests.Mounts(pod, app).Single(m => m.HostPath == hostDirectory).MountPath + "/" + socketName;
        var sidecarSocket = Manifests.Mounts(pod, sidecar).Single(m => m.HostPath == hostDirectory).MountPath + "/" + socketName;
        var helper = SidecarConfig.Parse(Manifests.ConfigMapFile(pod, sidecar, Manifests.Argument(sidecar, "-config")), "helper.conf");

        // Assert
        Assert.That(app.Items("env").Single(e => e.Text("name") == "SPIFFE_ENDPOINT_SOCKET").Text("value"), Is.EqualTo("unix://" + appSocket));
        Assert.That(helper.AgentAddress, Is.EqualTo("unix://" + sidecarSocket));
    }

    [Test]
    public void WorkloadPod_Sidecar_WritesItsFilesToAnEmptyDirTheAppMountsReadOnly()
    {
        // Arrange
        var pod = Manifests.PodSpec(Manifests.Find("Pod", "my-app"));
        var app = Manifests.Container(pod, "app");
        var sidecar = Manifests.Container(pod, "spiffe-helper");

        // Act
        var helper = SidecarConfig.Parse(Manifests.ConfigMapFile(pod, sidecar, Manifests.Argument(sidecar, "-config")), "helper.conf");
        var written = Manifests.Mounts(pod, sidecar).Single(m => m.MountPath == helper.CertDirectory);
        var read = Manifests.Mounts(pod, app).Single(m => m.Name == written.Name);

        // Assert
        Assert.That(Manifests.CommandLine(sidecar), Is.EqualTo(new[] { "/usr/local/bin/spiffe-agent", "sidecar", "-config", "/etc/helper/helper.conf" }));
        Assert.That(written.Volume.Get("emptyDir"), Is.Not.Null);
        Assert.That(written.ReadOnly, Is.False);
        Assert.That(read.ReadOnly, Is.True);
    }

    [Test]
    public void SystemdUnit_ExecStart_ReadsTheFileTheInstallStepsCopyFromSpireConfig()
    {
        // Arrange
        var unit = SystemdUnitFile.Load(SampleFiles.SystemdUnit);

        // Act
        var source = SystemdAgentConf(unit);

        // Assert
        Assert.That(unit.Get("Service", "ExecStart"), Is.EqualTo("/usr/local/bin/spiffe-agent run -config /etc/spiffe/agent.conf"));
        Assert.That(source, Is.EqualTo(SampleFiles.SpireConfig("agent-systemd.conf")));
        Assert.That(File.Exists(source), Is.True);
    }

    [Test]
    public void SystemdUnit_Directories_AreThePathsAgentSystemdConfUses()
    {
        // Arrange
        var unit = SystemdUnitFile.Load(SampleFiles.SystemdUnit);
        var errors = new ConfigErrors();
        var root = ConfigSection.Root(ConfigFile.Load(SystemdAgentConf(unit)), errors);
        var agent = root.GetSection("agent")!;
        var x509pop = root.GetSection("plugins")!.GetLabelledBlocks("NodeAttestor").Single(b => b.Label == "x509pop").Body.GetSection("plugin_data")!;
        var configurationDirectory = "/etc/" + unit.Get("Service", "ConfigurationDirectory") + "/";

        // Act
        string?[] readOnlyFiles = [agent.GetString("trust_bundle_path"), x509pop.GetString("certificate_path"), x509pop.GetString("private_key_path")];

        // Assert: below ProtectSystem=strict the agent writes only where the unit lets it, and reads its files from /etc/spiffe.
        Assert.That(errors.Items, Is.Empty);
        Assert.That(unit.Get("Service", "ProtectSystem"), Is.EqualTo("strict"));
        Assert.That(unit.Get("Service", "Restart"), Is.EqualTo("on-failure"));
        Assert.That(Path.GetDirectoryName(agent.GetString("socket_path")), Is.EqualTo("/run/" + unit.Get("Service", "RuntimeDirectory")));
        Assert.That(agent.GetString("data_dir"), Is.EqualTo("/var/lib/" + unit.Get("Service", "StateDirectory")));
        Assert.That(readOnlyFiles, Has.All.StartWith(configurationDirectory));
    }

    [TestCase("agent-k8s.conf")]
    [TestCase("agent-systemd.conf")]
    public async Task SpiffeAgentValidate_AgentConfig_ReportsItValid(string file)
    {
        // Arrange
        // The test project references src/Spiffe.Agent (without its assembly), so the build puts it next to these tests.
        var dll = SampleFiles.AgentDll;
        Assert.That(dll, Is.Not.Null, "spiffe-agent.dll is missing from the artifacts tree of these tests");

        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { dll!, "validate", "-config", SampleFiles.SpireConfig(file) })
        {
            start.ArgumentList.Add(argument);
        }

        // Act
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        // Assert
        Assert.That(await error, Is.Empty);
        Assert.That(process.ExitCode, Is.Zero);
        Assert.That(await output, Does.Contain("configuration file is valid"));
    }

    [Test]
    public void SidecarConfigLoad_HelperConf_KeepsX509FilesAndAJwtSvidForTheJwtApiSample()
    {
        // Act
        var options = SidecarConfig.Load(SampleFiles.SpireConfig("helper.conf"));

        // Assert
        Assert.That(options.X509Enabled, Is.True);
        Assert.That(options.JwtSvids.Select(j => j.Audience), Is.EqualTo(new[] { JwtApiServer.Audience }));
        Assert.That(options.DaemonMode, Is.True);
    }

    private static (YamlMappingNode Pod, YamlMappingNode Container) AgentContainer()
    {
        var pod = Manifests.PodSpec(Manifests.Find("DaemonSet", "spiffe-agent"));
        return (pod, Manifests.Container(pod, "spiffe-agent"));
    }

    /// <summary>The agent.conf the DaemonSet's <c>-config</c> argument points at, parsed with the project's config parser.</summary>
    private static ConfigSection AgentConf(YamlMappingNode pod, YamlMappingNode agent, ConfigErrors errors) =>
        ConfigSection.Root(ConfigFile.Parse(Manifests.ConfigMapFile(pod, agent, Manifests.Argument(agent, "-config")), "agent.conf"), errors);

    /// <summary>The host directory of the agent's socket and the socket's file name.</summary>
    private static (string HostDirectory, string SocketName) AgentSocket()
    {
        var (pod, agent) = AgentContainer();
        var socketPath = AgentConf(pod, agent, new ConfigErrors()).GetSection("agent")!.GetString("socket_path")!;
        var mount = Manifests.Mounts(pod, agent).Single(m => m.MountPath == Path.GetDirectoryName(socketPath));
        return (mount.HostPath!, Path.GetFileName(socketPath));
    }

    /// <summary>The spire-config/ file that the unit's install steps (its header comment) copy to the path ExecStart reads.</summary>
    private static string SystemdAgentConf(SystemdUnitFile unit)
    {
        var configPath = unit.Get("Service", "ExecStart")!.Split(' ')[^1];
        var install = unit.Comments.Single(c => c.StartsWith("install ", StringComparison.Ordinal) && c.EndsWith(" " + configPath, StringComparison.Ordinal));
        return Path.Combine(SampleFiles.RepoRoot, install.Split(' ')[^2]);
    }
}
