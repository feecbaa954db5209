using Microsoft.Extensions.Logging;
using Spiffe.Configuration;
using Spiffe.Server.Config;

namespace Spiffe.Server.Tests.Config;

[TestFixture]
public sealed class ServerConfigLoaderTests
{
    private const string Minimal = """
        server {
            trust_domain = "example.org"
        }
        plugins {
            DataStore "sql" {
                plugin_data {
                    database_type = "sqlite3"
                    connection_string = "/tmp/x.sqlite3"
                }
            }
            KeyManager "memory" {
                plugin_data {}
            }
        }
        """;

    public static IEnumerable<string> SpireFixtures() =>
        Directory.EnumerateFiles(TestPaths.ConfFixtures, "*.conf").Select(Path.GetFileName).Order(StringComparer.Ordinal)!;

    [TestCaseSource(nameof(SpireFixtures))]
    public void Load_SpireServerFixture_Loads(string fileName)
    {
        // Arrange
        var path = Path.Combine(TestPaths.ConfFixtures, fileName);

        // Act
        var config = ServerConfigLoader.Load(path);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(config.TrustDomain.Name, Is.Not.Empty);
            Assert.That(config.DataStore.ConnectionString, Does.EndWith("datastore.sqlite3"));
            Assert.That(config.BindPort, Is.EqualTo(8081));
        });
    }

    [Test]
    public void Load_ReleaseFixture_ReadsUpstreamAuthorityAndMemoryKeyManager()
    {
        // Arrange
        var path = Path.Combine(TestPaths.ConfFixtures, "release-server-server.conf");

        // Act
        var config = ServerConfigLoader.Load(path);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(config.TrustDomain.Name, Is.EqualTo("example.org"));
            Assert.That(config.KeyManager.Kind, Is.EqualTo(KeyManagerKind.Memory));
            Assert.That(config.UpstreamAuthority, Is.EqualTo(new UpstreamAuthorityConfig("./conf/server/dummy_upstream_ca.key", "./conf/server/dummy_upstream_ca.crt", null)));
            Assert.That(config.JoinTokenAttestor, Is.True);
            Assert.That(config.LogLevel, Is.EqualTo(LogLevel.Debug));
            Assert.That(config.SocketPath, Is.EqualTo("/tmp/spire-server/private/api.sock"));
        });
    }

    [Test]
    public void Load_X509PopFixtureWithFeatureFlags_ReadsCaBundleAndTtls()
    {
        // Arrange
        var path = Path.Combine(TestPaths.ConfFixtures, "fetch-wit-svids-server-server.conf");

        // Act
        var config = ServerConfigLoader.Load(path);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(config.X509Pop!.CaBundlePaths, Is.EqualTo(new[] { "/opt/spire/conf/server/agent-cacert.pem" }));
            Assert.That(config.FeatureFlags, Is.EqualTo(new[] { "wit-svid" }));
            Assert.That(config.CaTtl, Is.EqualTo(TimeSpan.FromHours(1)));
            Assert.That(config.DefaultX509SvidTtl, Is.EqualTo(TimeSpan.FromMinutes(10)));
            Assert.That(config.DefaultJwtSvidTtl, Is.EqualTo(TimeSpan.FromMinutes(10)));
            Assert.That(config.KeyManager, Is.EqualTo(new KeyManagerConfig(KeyManagerKind.Disk, "/opt/spire/data/server/keys.json")));
        });
    }

    [Test]
    public void Load_RepositoryDefaultConfig_Loads()
    {
        // Arrange
        var path = Path.Combine(TestPaths.RepoRoot, "spire-config", "server.conf");

        // Act
        var config = ServerConfigLoader.Load(path);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(config.BindAddress, Is.EqualTo("127.0.0.1"));
            Assert.That(config.SocketPath, Is.EqualTo("/tmp/spiffe-server/private/api.sock"));
            Assert.That(config.HealthChecks.ListenerEnabled, Is.True);
            Assert.That(config.HealthChecks.BindPort, Is.EqualTo(8180));
        });
    }

    [Test]
    public void Parse_MinimalConfig_AppliesSpireDefaults()
    {
        // Act
        var config = ServerConfigLoader.Parse(Minimal, "server.conf");

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(config.BindAddress, Is.EqualTo("0.0.0.0"));
            Assert.That(config.BindPort, Is.EqualTo(8081));
            Assert.That(config.SocketPath, Is.EqualTo("/tmp/spiffe-server/private/api.sock"));
            Assert.That(config.CaKeyType, Is.EqualTo(KeyType.EcP256));
            Assert.That(config.CaTtl, Is.EqualTo(TimeSpan.FromHours(24)));
            Assert.That(config.DefaultX509SvidTtl, Is.EqualTo(TimeSpan.FromHours(1)));
            Assert.That(config.DefaultJwtSvidTtl, Is.EqualTo(TimeSpan.FromMinutes(5)));
            Assert.That(config.CaSubject.Country, Is.EqualTo(new[] { "US" }));
            Assert.That(config.CaSubject.Organization, Is.EqualTo(new[] { "SPIFFE" }));
        });
    }

    [Test]
    public void Parse_Json_GivesTheSameConfigAsHcl()
    {
        // Arrange
        const string json = """
            {
              "server": { "trust_domain": "example.org", "bind_port": "9090", "ca_key_type": "rsa-2048", "ca_ttl": "2h" },
              "plugins": {
                "DataStore": { "sql": { "plugin_data": { "database_type": "sqlite3", "connection_string": "/tmp/x.sqlite3" } } },
                "KeyManager": { "disk": { "plugin_data": { "keys_path": "/tmp/keys.json" } } },
                "NodeAttestor": { "join_token": { "plugin_data": {} } }
              }
            }
            """;

        // Act
        var config = ServerConfigLoader.Parse(json, "server.json");

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(config.BindPort, Is.EqualTo(9090));
            Assert.That(config.CaKeyType, Is.EqualTo(KeyType.Rsa2048));
            Assert.That(config.CaTtl, Is.EqualTo(TimeSpan.FromHours(2)));
            Assert.That(config.KeyManager, Is.EqualTo(new KeyManagerConfig(KeyManagerKind.Disk, "/tmp/keys.json")));
            Assert.That(config.JoinTokenAttestor, Is.True);
        });
    }

    [Test]
    public void Parse_UnknownServerKey_FailsNamingKeyAndLine()
    {
        // Arrange
        var text = Minimal.Replace("trust_domain = \"example.org\"", "trust_domain = \"example.org\"\n    trust_domian = \"x\"", StringComparison.Ordinal);

        // Act
        var ex = Assert.Throws<ConfigException>(() => ServerConfigLoader.Parse(text, "server.conf"));

        // Assert
        Assert.That(ex!.Message, Is.EqualTo("server.conf:3: unknown key \"trust_domian\" in block \"server\""));
    }

    [Test]
    public void Parse_MissingTrustDomain_FailsNamingKey()
    {
        // Arrange
        var text = Minimal.Replace("trust_domain = \"example.org\"", "bind_port = \"8081\"", StringComparison.Ordinal);

        // Act
        var ex = Assert.Throws<ConfigException>(() => ServerConfigLoader.Parse(text, "server.conf"));

        // Assert
        Assert.That(ex!.Message, Does.Contain("server.conf:1: missing required key \"trust_domain\" in block \"server\""));
    }

    [TestCase("ca_key_type = \"ec-p999\"", "\"ca_key_type\" must be one of ec-p256, ec-p384, rsa-2048, rsa-4096, got \"ec-p999\"")]
    [TestCase("ca_ttl = \"forever\"", "\"ca_ttl\" must be a duration")]
    [TestCase("bind_port = \"70000\"", "\"bind_port\" must be an integer between 0 and 65535")]
    [TestCase("log_level = \"LOUD\"", "\"log_level\" must be one of DEBUG, INFO, WARN, ERROR, got \"LOUD\"")]
    [TestCase("jwt_issuer = \"not a url\"", "\"jwt_issuer\" must be an absolute URL")]
    [TestCase("ca_ttl = \"0s\"", "\"ca_ttl\" must be greater than zero")]
    public void Parse_BadValue_FailsNamingKeyAndLine(string line, string expected)
    {
        // Arrange
        var text = Minimal.Replace("trust_domain = \"example.org\"", "trust_domain = \"example.org\"\n    " + line, StringComparison.Ordinal);

        // Act
        var ex = Assert.Throws<ConfigException>(() => ServerConfigLoader.Parse(text, "server.conf"));

        // Assert
        Assert.That(ex!.Message, Does.StartWith("server.conf:3: " + expected));
    }

    [TestCase("NodeAttestor \"k8s_psat\" {\n plugin_data {}\n}", "plugin NodeAttestor \"k8s_psat\" is not supported by spiffe-server")]
    [TestCase("KeyManager \"aws_kms\" {\n plugin_data {}\n}", "plugin KeyManager \"aws_kms\" is not supported by spiffe-server")]
    [TestCase("Notifier \"k8sbundle\" {\n plugin_data {}\n}", "plugin Notifier \"k8sbundle\" is not supported by spiffe-server")]
    [TestCase("NodeAttestor \"join_token\" {\n plugin_cmd = \"/bin/x\"\n plugin_data {}\n}", "NodeAttestor \"join_token\": \"plugin_cmd\" is not supported by spiffe-server")]
    public void Parse_UnsupportedPlugin_FailsNamingIt(string block, string expected)
    {
        // Arrange
        var text = Minimal.Replace("plugins {", "plugins {\n" + block, StringComparison.Ordinal);

        // Act
        var ex = Assert.Throws<ConfigException>(() => ServerConfigLoader.Parse(text, "server.conf"));

        // Assert
        Assert.That(ex!.Errors.Select(e => e.Message), Has.Some.Contains(expected));
    }

    [Test]
    public void Parse_PostgresDataStore_FailsNamingDatabaseType()
    {
        // Arrange
        var text = Minimal.Replace("database_type = \"sqlite3\"", "database_type = \"postgres\"", StringComparison.Ordinal);

        // Act
        var ex = Assert.Throws<ConfigException>(() => ServerConfigLoader.Parse(text, "server.conf"));

        // Assert
        Assert.That(ex!.Message, Does.Contain("server.conf:7: DataStore \"sql\": database_type \"postgres\" is not supported by spiffe-server (only sqlite3)"));
    }

    [Test]
    public void Parse_UnsupportedSpireServerKey_FailsNamingKey()
    {
        // Arrange
        var text = Minimal.Replace("trust_domain = \"example.org\"", "trust_domain = \"example.org\"\n    federation {\n    }", StringComparison.Ordinal);

        // Act
        var ex = Assert.Throws<ConfigException>(() => ServerConfigLoader.Parse(text, "server.conf"));

        // Assert
        Assert.That(ex!.Message, Is.EqualTo("server.conf:3: key \"federation\" in block \"server\" is not supported by spiffe-server"));
    }

    [Test]
    public void Parse_MissingDataStore_Fails()
    {
        // Arrange
        const string text = """
            server {
                trust_domain = "example.org"
            }
            plugins {
                KeyManager "memory" {
                    plugin_data {}
                }
            }
            """;

        // Act
        var ex = Assert.Throws<ConfigException>(() => ServerConfigLoader.Parse(text, "server.conf"));

        // Assert
        Assert.That(ex!.Message, Does.Contain("missing required plugin DataStore \"sql\""));
    }

    [Test]
    public void Parse_SeveralProblems_ReportsAllInLineOrder()
    {
        // Arrange
        var text = Minimal.Replace("trust_domain = \"example.org\"", "trust_domain = \"example.org\"\n    ca_ttl = \"x\"\n    colour = \"blue\"", StringComparison.Ordinal);

        // Act
        var ex = Assert.Throws<ConfigException>(() => ServerConfigLoader.Parse(text, "server.conf"));

        // Assert
        Assert.That(ex!.Errors.Select(e => e.Location.Line), Is.EqualTo(new[] { 3, 4 }));
    }

    [Test]
    public void Parse_Overrides_ReplaceFileValues()
    {
        // Arrange
        var overrides = new ServerConfigOverrides
        {
            TrustDomain = "other.test",
            BindAddress = "127.0.0.1",
            BindPort = 9999,
            SocketPath = "/tmp/s.sock",
            DataDir = "/tmp/d",
            LogLevel = "debug",
            LogFormat = "json",
        };

        // Act
        var config = ServerConfigLoader.Parse(Minimal, "server.conf", overrides);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(config.TrustDomain.Name, Is.EqualTo("other.test"));
            Assert.That(config.BindAddress, Is.EqualTo("127.0.0.1"));
            Assert.That(config.BindPort, Is.EqualTo(9999));
            Assert.That(config.SocketPath, Is.EqualTo("/tmp/s.sock"));
            Assert.That(config.DataDir, Is.EqualTo("/tmp/d"));
            Assert.That(config.LogLevel, Is.EqualTo(LogLevel.Debug));
            Assert.That(config.LogFormat, Is.EqualTo(LogFormat.Json));
        });
    }

    [Test]
    public void Parse_TrustDomainOnlyFromFlag_Loads()
    {
        // Arrange
        var text = Minimal.Replace("trust_domain = \"example.org\"", string.Empty, StringComparison.Ordinal);

        // Act
        var config = ServerConfigLoader.Parse(text, "server.conf", new ServerConfigOverrides { TrustDomain = "flag.test" });

        // Assert
        Assert.That(config.TrustDomain.Name, Is.EqualTo("flag.test"));
    }

    [Test]
    public void Parse_BadFlagValue_FailsNamingFlag()
    {
        // Act
        var ex = Assert.Throws<ConfigException>(() =>
            ServerConfigLoader.Parse(Minimal, "server.conf", new ServerConfigOverrides { TrustDomain = "Not Valid!" }));

        // Assert
        Assert.That(ex!.Message, Is.EqualTo("command line:0: -trustDomain: invalid trust domain \"Not Valid!\""));
    }
}
