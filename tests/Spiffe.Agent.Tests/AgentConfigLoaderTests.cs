using System.Runtime.Versioning;
using Spiffe.Agent.Configuration;
using Spiffe.Agent.Core;
using Spiffe.Agent.Tests.Infrastructure;
using Spiffe.Configuration;

namespace Spiffe.Agent.Tests;

[TestFixture]
[SupportedOSPlatform("linux")]
public sealed class AgentConfigLoaderTests
{
    private TestDirectory _directory = null!;

    [SetUp]
    public void CreateDirectory() => _directory = new TestDirectory("spcfg");

    [TearDown]
    public void DeleteDirectory() => _directory.Dispose();

    private static IEnumerable<TestCaseData> SpireFixtures() =>
        Directory.GetFiles(Path.GetDirectoryName(TestArtifacts.Fixture("x"))!, "*agent*.conf")
            .Order(StringComparer.Ordinal)
            .Select(path => new TestCaseData(path).SetArgDisplayNames(Path.GetFileName(path)));

    [TestCaseSource(nameof(SpireFixtures))]
    public void Load_SpireFixture_LoadsOrNamesWhatIsUnsupported(string path)
    {
        // Arrange
        var isAgentConfig = File.ReadAllText(path).Contains("agent {", StringComparison.Ordinal);

        // Act
        AgentConfiguration? configuration = null;
        ConfigException? error = null;
        try
        {
            configuration = AgentConfigLoader.Load(path, expandEnv: false, new AgentConfigOverrides());
        }
        catch (ConfigException ex)
        {
            error = ex;
        }

        // Assert
        if (isAgentConfig)
        {
            Assert.That(error, Is.Null, error?.Message);
            Assert.That(configuration!.Agent.ServerPort, Is.EqualTo(8081));
            Assert.That(configuration.WorkloadAttestors, Does.Contain(WorkloadAttestorKind.Unix));
        }
        else
        {
            Assert.That(error!.Message, Does.Contain("unknown key \"server\""));
            Assert.That(error.Message, Does.Contain("plugin type \"DataStore\" is not supported"));
        }
    }

    [Test]
    public void Load_RepositoryStackConfig_Valid()
    {
        // Act
        var configuration = AgentConfigLoader.Load(Path.Combine(TestArtifacts.RepoRoot, "spire-config", "agent.conf"), expandEnv: false, new AgentConfigOverrides());

        // Assert
        Assert.That(configuration.Endpoint.SocketPath, Is.EqualTo("/tmp/spiffe-agent/public/api.sock"));
        Assert.That(configuration.HealthChecks.ListenerEnabled, Is.True);
        Assert.That(configuration.Prometheus, Is.EqualTo(new PrometheusSettings("127.0.0.1", 9988)));
        Assert.That(configuration.WorkloadAttestors, Is.EqualTo(new[] { WorkloadAttestorKind.Unix, WorkloadAttestorKind.Cgroup, WorkloadAttestorKind.Systemd, WorkloadAttestorKind.Container }));
    }

    [Test]
    public void Load_AllSupportedKeys_BindsEverySetting()
    {
        // Arrange
        var tokenFile = _directory.Combine("token");
        File.WriteAllText(tokenFile, "  secret-token\n");
        var path = Write($$"""
            agent {
                trust_domain = "td.test"
                server_address = "server.test"
                server_port = 9000
                insecure_bootstrap = true
                data_dir = "{{_directory.Path}}"
                socket_path = "/run/a/api.sock"
                join_token_file = "{{tokenFile}}"
                log_level = "warn"
                log_format = "JSON"
                allow_unauthenticated_verifiers = true
                allowed_foreign_jwt_claims = ["iss"]
                x509_svid_cache_max_size = 8
                jwt_svid_cache_max_size = 9
                workload_x509_svid_key_type = "rsa-2048"
                experimental {
                    sync_interval = "2s"
                    use_sync_authorized_entries = false
                }
            }
            plugins {
                NodeAttestor "x509pop" {
                    plugin_data {
                        private_key_path = "/k.pem"
                        certificate_path = "/c.pem"
                        intermediates_path = "/i.pem"
                    }
                }
                KeyManager "memory" { plugin_data = {} }
                WorkloadAttestor "unix" { plugin_data { discover_workload_path = true workload_size_limit = 1024 } }
                WorkloadAttestor "systemd" { plugin_data {} }
                WorkloadAttestor "cgroup" { enabled = false }
            }
            health_checks {
                listener_enabled = true
                bind_port = "8088"
                ready_path = "/r"
            }
            """);

        // Act
        var configuration = AgentConfigLoader.Load(path, expandEnv: false, new AgentConfigOverrides());

        // Assert
        var agent = configuration.Agent;
        Assert.That(agent.TrustDomain.Name, Is.EqualTo("td.test"));
        Assert.That((agent.ServerAddress, agent.ServerPort, agent.InsecureBootstrap), Is.EqualTo(("server.test", 9000, true)));
        Assert.That(agent.JoinToken, Is.EqualTo("secret-token"));
        Assert.That((agent.X509SvidCacheMaxSize, agent.JwtSvidCacheMaxSize), Is.EqualTo((8, 9)));
        Assert.That(agent.WorkloadX509SvidKeyType, Is.EqualTo(WorkloadKeyType.Rsa2048));
        Assert.That(agent.SyncInterval, Is.EqualTo(TimeSpan.FromSeconds(2)));
        Assert.That(agent.UseSyncAuthorizedEntries, Is.False);
        Assert.That(agent.KeyManager, Is.EqualTo(AgentKeyManagerKind.Memory));
        Assert.That((agent.X509PopPrivateKeyPath, agent.X509PopCertificatePath, agent.X509PopIntermediatesPath), Is.EqualTo(("/k.pem", "/c.pem", "/i.pem")));
        Assert.That(configuration.Endpoint.SocketPath, Is.EqualTo("/run/a/api.sock"));
        Assert.That(configuration.Endpoint.AllowUnauthenticatedVerifiers, Is.True);
        Assert.That(configuration.Endpoint.AllowedForeignJwtClaims, Is.EqualTo(new[] { "iss" }));
        Assert.That(configuration.Endpoint.TrustDomain.Name, Is.EqualTo("td.test"));
        Assert.That((configuration.LogLevel, configuration.LogFormat), Is.EqualTo((AgentLogLevel.Warn, AgentLogFormat.Json)));
        Assert.That(configuration.WorkloadAttestors, Is.EqualTo(new[] { WorkloadAttestorKind.Unix, WorkloadAttestorKind.Systemd }));
        Assert.That((configuration.UnixAttestor.DiscoverWorkloadPath, configuration.UnixAttestor.WorkloadSizeLimit), Is.EqualTo((true, 1024L)));
        Assert.That(configuration.HealthChecks, Is.EqualTo(new HealthCheckSettings { ListenerEnabled = true, BindPort = 8088, ReadyPath = "/r" }));
    }

    [Test]
    public void Load_FlagOverrides_WinOverTheFile()
    {
        // Arrange
        var path = Write(MinimalConfig());
        var overrides = new AgentConfigOverrides
        {
            ServerAddress = "10.0.0.1",
            ServerPort = 9443,
            SocketPath = "/run/override.sock",
            TrustDomain = "other.test",
            DataDirectory = _directory.Path,
            JoinToken = "flag-token",
            LogLevel = "DEBUG",
            LogFormat = "json",
            AllowUnauthenticatedVerifiers = true,
            TrustBundlePath = "/bundle.pem",
        };

        // Act
        var configuration = AgentConfigLoader.Load(path, expandEnv: false, overrides);

        // Assert
        Assert.That((configuration.Agent.ServerAddress, configuration.Agent.ServerPort), Is.EqualTo(("10.0.0.1", 9443)));
        Assert.That(configuration.Endpoint.SocketPath, Is.EqualTo("/run/override.sock"));
        Assert.That(configuration.Agent.TrustDomain.Name, Is.EqualTo("other.test"));
        Assert.That(configuration.Agent.JoinToken, Is.EqualTo("flag-token"));
        Assert.That(configuration.Agent.TrustBundlePath, Is.EqualTo("/bundle.pem"));
        Assert.That((configuration.LogLevel, configuration.LogFormat), Is.EqualTo((AgentLogLevel.Debug, AgentLogFormat.Json)));
        Assert.That(configuration.Endpoint.AllowUnauthenticatedVerifiers, Is.True);
    }

    [Test]
    public void Load_ExpandEnv_SubstitutesVariables()
    {
        // Arrange
        Environment.SetEnvironmentVariable("SPIFFE_AGENT_TEST_PORT", "7443");
        var path = Write(MinimalConfig().Replace("server_port = \"8081\"", "server_port = \"${SPIFFE_AGENT_TEST_PORT}\"", StringComparison.Ordinal));

        // Act
        var configuration = AgentConfigLoader.Load(path, expandEnv: true, new AgentConfigOverrides());

        // Assert
        Assert.That(configuration.Agent.ServerPort, Is.EqualTo(7443));
    }

    private static IEnumerable<TestCaseData> InvalidConfigs()
    {
        yield return new TestCaseData("trust_domain = \"example.org\"", "agent.conf:1: trust_domain must be configured", "missing trust_domain");
        yield return new TestCaseData("server_port = \"port\"", "agent.conf:4: \"server_port\" must be an integer between 1 and 65535", "bad port");
        yield return new TestCaseData("log_level = \"LOUD\"", "agent.conf:6: \"log_level\" must be one of DEBUG, INFO, WARN, ERROR, not \"LOUD\"", "bad log level");
        yield return new TestCaseData("log_level = \"INFO\"\n    colour = \"blue\"", "agent.conf:7: unknown key \"colour\" in block \"agent\"", "unknown key");
        yield return new TestCaseData("log_level = \"INFO\"\n    trust_bundle_url = \"https://x\"", "agent.conf:7: \"trust_bundle_url\" in block \"agent\" is not supported by spiffe-agent", "SPIRE key not supported");
        yield return new TestCaseData("log_level = \"INFO\"\n    insecure_bootstrap = true", "agent.conf:5: trust_bundle_path and insecure_bootstrap are mutually exclusive", "two bootstrap sources");
        yield return new TestCaseData("log_level = \"INFO\"\n    join_token = \"a\"\n    join_token_file = \"/b\"", "agent.conf:8: \"join_token\" and \"join_token_file\" are mutually exclusive", "two tokens");
        yield return new TestCaseData("NodeAttestor \"join_token\"", "agent.conf:10: NodeAttestor \"k8s_psat\" is not supported by spiffe-agent (supported: join_token, x509pop)", "unsupported node attestor");
        yield return new TestCaseData("WorkloadAttestor \"unix\"", "agent.conf:12: WorkloadAttestor \"docker\" is not supported by spiffe-agent (supported: unix, cgroup, systemd, container)", "unsupported workload attestor");
    }

    [TestCaseSource(nameof(InvalidConfigs))]
    public void Load_InvalidSetting_ErrorNamesKeyAndLine(string replace, string expected, string because)
    {
        // Arrange
        var text = MinimalConfig();
        text = replace switch
        {
            "NodeAttestor \"join_token\"" => text.Replace(replace, "NodeAttestor \"k8s_psat\"", StringComparison.Ordinal),
            "WorkloadAttestor \"unix\"" => text.Replace(replace, "WorkloadAttestor \"docker\"", StringComparison.Ordinal),
            "trust_domain = \"example.org\"" => text.Replace(replace, "log_level = \"INFO\"", StringComparison.Ordinal),
            "server_port = \"port\"" => text.Replace("server_port = \"8081\"", replace, StringComparison.Ordinal),
            _ => text.Replace("log_level = \"INFO\"", replace, StringComparison.Ordinal),
        };
        var path = Write(text);

        // Act
        var ex = Assert.Throws<ConfigException>(() => AgentConfigLoader.Load(path, expandEnv: false, new AgentConfigOverrides()));

        // Assert
        Assert.That(ex!.Errors.Select(e => e.ToString().Replace(path, "agent.conf", StringComparison.Ordinal)), Does.Contain(expected), because);
    }

    [Test]
    public void Load_NoWorkloadAttestorAndTwoKeyManagers_BothReported()
    {
        // Arrange
        var path = Write(MinimalConfig()
            .Replace("WorkloadAttestor \"unix\" { plugin_data {} }", string.Empty, StringComparison.Ordinal)
            .Replace("KeyManager \"memory\" { plugin_data {} }", "KeyManager \"memory\" { plugin_data {} }\n    KeyManager \"disk\" { plugin_data {} }", StringComparison.Ordinal));

        // Act
        var ex = Assert.Throws<ConfigException>(() => AgentConfigLoader.Load(path, expandEnv: false, new AgentConfigOverrides()));

        // Assert
        Assert.That(ex!.Message, Does.Contain("exactly one KeyManager plugin must be configured; found 2"));
        Assert.That(ex.Message, Does.Contain("at least one WorkloadAttestor plugin must be configured"));
    }

    private static string MinimalConfig() => """
        agent {
            trust_domain = "example.org"
            server_address = "127.0.0.1"
            server_port = "8081"
            trust_bundle_path = "/bootstrap.crt"
            log_level = "INFO"
        }

        plugins {
            NodeAttestor "join_token" { plugin_data {} }
            KeyManager "memory" { plugin_data {} }
            WorkloadAttestor "unix" { plugin_data {} }
        }
        """;

    private string Write(string text)
    {
        var path = _directory.Combine("agent.conf");
        File.WriteAllText(path, text);
        return path;
    }
}
