namespace Spiffe.Configuration.Tests;

/// <summary>Real SPIRE configs from ../shared/fixtures/spire-conf and this repository's spire-config/.</summary>
[TestFixture]
public sealed class SpireConfigFixtureTests
{
    private static readonly string[] TopLevelBlocks = ["agent", "server", "plugins", "telemetry", "health_checks", "tasks"];

    private static IEnumerable<TestCaseData> ConfigFiles()
    {
        var fixtures = Directory.GetFiles(TestPaths.SpireConfFixtures, "*.conf");
        // helper.conf configures the sidecar (spiffe-helper keys), not a SPIRE server or agent.
        var ours = Directory.GetFiles(Path.Combine(TestPaths.RepoRoot, "spire-config"), "*.conf")
            .Where(path => Path.GetFileName(path) != "helper.conf");
        return fixtures.Concat(ours).Order(StringComparer.Ordinal).Select(path => new TestCaseData(path).SetArgDisplayNames($"{Path.GetFileName(Path.GetDirectoryName(path))}/{Path.GetFileName(path)}"));
    }

    private static IEnumerable<TestCaseData> Settings()
    {
        yield return new TestCaseData("agent-cli-agent-agent.conf", "agent", "trust_domain", "domain.test");
        yield return new TestCaseData("agent-cli-agent-agent.conf", "agent", "admin_socket_path", "/opt/debug.sock");
        yield return new TestCaseData("evict-agent-server-server.conf", "server", "ca_ttl", "20m");
        yield return new TestCaseData("evict-agent-server-server.conf", "server", "default_x509_svid_ttl", "10m");
        yield return new TestCaseData("fetch-jwt-svids-agent-agent.conf", "agent", "x509_svid_cache_max_size", "8");
        yield return new TestCaseData("fetch-wit-svids-server-server.conf", "server", "default_jwt_svid_ttl", "10m");
        yield return new TestCaseData("fetch-x509-svids-agent-agent.conf", "agent", "socket_path", "/opt/spire/sockets/workload_api.sock");
        yield return new TestCaseData("fetch-x509-svids-server-server.conf", "server", "bind_address", "0.0.0.0");
        yield return new TestCaseData("release-agent-agent.conf", "agent", "socket_path", "/tmp/spire-agent/public/api.sock");
        yield return new TestCaseData("release-agent-agent_container.conf", "agent", "trust_bundle_path", "/etc/spire/agent/dummy_root_ca.crt");
        yield return new TestCaseData("release-server-server.conf", "server", "trust_domain", "example.org");
        yield return new TestCaseData("release-server-server_container.conf", "server", "socket_path", "/run/spire/server/private/api.sock");
    }

    private static IEnumerable<TestCaseData> Plugins()
    {
        yield return new TestCaseData("agent-cli-agent-agent.conf", new[] { "NodeAttestor x509pop", "KeyManager disk", "WorkloadAttestor unix" });
        yield return new TestCaseData("evict-agent-server-server.conf", new[] { "DataStore sql", "NodeAttestor x509pop", "KeyManager memory" });
        yield return new TestCaseData("release-agent-agent.conf", new[] { "NodeAttestor join_token", "KeyManager disk", "WorkloadAttestor unix" });
        yield return new TestCaseData("release-server-server.conf", new[] { "DataStore sql", "NodeAttestor join_token", "KeyManager memory", "UpstreamAuthority disk" });
    }

    private static IEnumerable<TestCaseData> PluginData()
    {
        yield return new TestCaseData("agent-cli-agent-agent.conf", "NodeAttestor", "x509pop", "private_key_path", "/opt/spire/conf/agent/agent.key.pem");
        yield return new TestCaseData("evict-agent-server-server.conf", "DataStore", "sql", "database_type", "sqlite3");
        yield return new TestCaseData("evict-agent-server-server.conf", "NodeAttestor", "x509pop", "ca_bundle_path", "/opt/spire/conf/server/agent-cacert.pem");
        yield return new TestCaseData("fetch-wit-svids-server-server.conf", "KeyManager", "disk", "keys_path", "/opt/spire/data/server/keys.json");
        yield return new TestCaseData("release-server-server.conf", "UpstreamAuthority", "disk", "cert_file_path", "./conf/server/dummy_upstream_ca.crt");
        yield return new TestCaseData("release-agent-agent_container.conf", "KeyManager", "disk", "directory", "/var/lib/spire/agent/.data");
    }

    private static IEnumerable<TestCaseData> JsonEquivalents()
    {
        yield return new TestCaseData("fetch-wit-svids-server-server.conf", "fetch-wit-svids-server-server.json");
        yield return new TestCaseData("fetch-jwt-svids-agent-agent.conf", "fetch-jwt-svids-agent-agent.json");
    }

    [TestCaseSource(nameof(ConfigFiles))]
    public void Load_SpireConfig_ParsesIntoKnownTopLevelBlocksWithPlugins(string path)
    {
        // Arrange
        var errors = new ConfigErrors();

        // Act
        var root = ConfigSection.Root(ConfigFile.Load(path), errors);
        root.ReportUnknownKeys(TopLevelBlocks);
        var plugins = root.GetSection("plugins", required: true);

        // Assert
        Assert.That(errors.Items, Is.Empty);
        Assert.That(root.Contains("agent") ^ root.Contains("server"), Is.True);
        Assert.That(plugins!.GetLabelledBlocks("NodeAttestor"), Has.Count.EqualTo(1));
    }

    [TestCaseSource(nameof(Settings))]
    public void GetString_FixtureSetting_ReturnsValue(string file, string block, string key, string expected)
    {
        // Arrange
        var root = ConfigSection.Root(ConfigFile.Load(TestPaths.Fixture(file)), new ConfigErrors());

        // Act
        var value = root.GetSection(block)!.GetString(key);

        // Assert
        Assert.That(value, Is.EqualTo(expected));
    }

    [TestCaseSource(nameof(Plugins))]
    public void GetLabelledBlocks_FixturePlugins_ReturnsTypesAndNamesInOrder(string file, string[] expected)
    {
        // Arrange
        var plugins = ConfigSection.Root(ConfigFile.Load(TestPaths.Fixture(file)), new ConfigErrors()).GetSection("plugins")!;

        // Act
        var found = plugins.Value.Entries
            .Select(e => e.Key)
            .Distinct(StringComparer.Ordinal)
            .SelectMany(plugins.GetLabelledBlocks)
            .Select(b => $"{b.Type} {b.Label}");

        // Assert
        Assert.That(found, Is.EqualTo(expected));
    }

    [TestCaseSource(nameof(PluginData))]
    public void GetLabelledBlocks_FixturePluginData_ReturnsSettings(string file, string type, string name, string key, string expected)
    {
        // Arrange
        var plugins = ConfigSection.Root(ConfigFile.Load(TestPaths.Fixture(file)), new ConfigErrors()).GetSection("plugins")!;

        // Act
        var block = plugins.GetLabelledBlocks(type).Single(b => b.Label == name);
        var value = block.Body.GetSection("plugin_data")!.GetString(key);

        // Assert
        Assert.That(value, Is.EqualTo(expected));
    }

    [TestCaseSource(nameof(JsonEquivalents))]
    public void Load_JsonEquivalentOfFixture_GivesSameTree(string hclFile, string jsonFile)
    {
        // Act
        var hcl = ConfigFile.Load(TestPaths.Fixture(hclFile));
        var json = ConfigFile.Load(TestPaths.TestData(jsonFile));

        // Assert
        Assert.That(ConfigTreePrinter.Print(json), Is.EqualTo(ConfigTreePrinter.Print(hcl)));
    }

    [Test]
    public void Load_EvictAgentServer_ReadsTypedServerSettings()
    {
        // Arrange
        var errors = new ConfigErrors();
        var server = ConfigSection.Root(ConfigFile.Load(TestPaths.Fixture("evict-agent-server-server.conf")), errors).GetSection("server")!;

        // Act
        var bindPort = server.GetInt("bind_port", 1, 65535);
        var caTtl = server.GetDuration("ca_ttl");
        var svidTtl = server.GetDuration("default_x509_svid_ttl");

        // Assert
        Assert.That(bindPort, Is.EqualTo(8081));
        Assert.That(caTtl, Is.EqualTo(TimeSpan.FromMinutes(20)));
        Assert.That(svidTtl, Is.EqualTo(TimeSpan.FromMinutes(10)));
        Assert.That(server.Value.Entries.Single(e => e.Key == "ca_ttl").Location.Line, Is.EqualTo(7));
        Assert.That(server.Value.Entries.Single(e => e.Key == "ca_ttl").Location.Column, Is.EqualTo(9));
        Assert.That(errors.Items, Is.Empty);
    }

    [Test]
    public void Load_FixtureWithEmptyPluginDataAssignment_ReturnsEmptySection()
    {
        // Arrange
        var plugins = ConfigSection.Root(ConfigFile.Load(TestPaths.Fixture("fetch-x509-svids-server-server.conf")), new ConfigErrors()).GetSection("plugins")!;

        // Act
        var keyManager = plugins.GetLabelledBlocks("KeyManager").Single();
        var pluginData = keyManager.Body.GetSection("plugin_data");

        // Assert
        Assert.That(keyManager.Label, Is.EqualTo("memory"));
        Assert.That(pluginData!.Value.Entries, Is.Empty);
        Assert.That(pluginData.Path, Is.EqualTo("plugins.KeyManager.memory.plugin_data"));
    }

    [Test]
    public void Load_FixtureWithExperimentalBlock_ReadsFeatureFlags()
    {
        // Arrange
        var server = ConfigSection.Root(ConfigFile.Load(TestPaths.Fixture("fetch-wit-svids-server-server.conf")), new ConfigErrors()).GetSection("server")!;

        // Act
        var flags = server.GetSection("experimental")!.GetStringList("feature_flags");

        // Assert
        Assert.That(flags, Is.EqualTo(new[] { "wit-svid" }));
    }

    [Test]
    public void Load_RepoAgentConfig_ReadsRepeatedWorkloadAttestorsAndTelemetry()
    {
        // Arrange
        var errors = new ConfigErrors();
        var root = ConfigSection.Root(ConfigFile.Load(Path.Combine(TestPaths.RepoRoot, "spire-config", "agent.conf")), errors);

        // Act
        var attestors = root.GetSection("plugins")!.GetLabelledBlocks("WorkloadAttestor");
        var unixData = attestors[0].Body.GetSection("plugin_data")!;
        var prometheus = root.GetSection("telemetry")!.GetSection("Prometheus")!;

        // Assert
        Assert.That(attestors.Select(a => a.Label), Is.EqualTo(new[] { "unix", "cgroup", "systemd", "container" }));
        Assert.That(unixData.GetBool("discover_workload_path"), Is.True);
        Assert.That(unixData.GetInt("workload_size_limit"), Is.EqualTo(104_857_600));
        Assert.That(prometheus.GetInt("port", 1, 65535), Is.EqualTo(9988));
        Assert.That(root.GetSection("health_checks")!.GetBool("listener_enabled"), Is.True);
        Assert.That(errors.Items, Is.Empty);
    }
}
