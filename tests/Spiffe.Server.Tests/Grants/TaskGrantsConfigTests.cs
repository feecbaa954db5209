using Spiffe.Configuration;
using Spiffe.Core;
using Spiffe.Server.Config;
using Spiffe.Server.Tests.Config;

namespace Spiffe.Server.Tests.Grants;

/// <summary><c>server.task_grants</c> and <c>server.default_wit_svid_ttl</c> in server.conf.</summary>
[TestFixture]
public sealed class TaskGrantsConfigTests
{
    private const string Template = """
        server {
            trust_domain = "example.org"
        %SERVER%
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

    [Test]
    public void Parse_Grants_ReadsEveryGrant()
    {
        // Arrange
        var text = Server("""
                task_grants {
                    grant "spiffe://example.org/spiffe-agent/admin" {
                        id_prefix = "spiffe://example.org/agent/"
                        max_ttl = "1h"
                    }
                    grant "spiffe://example.org/ci/admin" {
                        id_prefix = "spiffe://example.org/ci/jobs"
                        max_ttl = "15m"
                    }
                }
            """);

        // Act
        var config = ServerConfigLoader.Parse(text, "server.conf");

        // Assert
        Assert.That(config.TaskGrants, Is.EqualTo(new[]
        {
            new TaskGrant(SpiffeId.Parse("spiffe://example.org/spiffe-agent/admin"), SpiffeId.Parse("spiffe://example.org/agent"), TimeSpan.FromHours(1)),
            new TaskGrant(SpiffeId.Parse("spiffe://example.org/ci/admin"), SpiffeId.Parse("spiffe://example.org/ci/jobs"), TimeSpan.FromMinutes(15)),
        }));
    }

    [Test]
    public void Parse_JsonGrants_GivesTheSameGrantAsHcl()
    {
        // Arrange
        const string json = """
            {
              "server": {
                "trust_domain": "example.org",
                "task_grants": { "grant": { "spiffe://example.org/spiffe-agent/admin": { "id_prefix": "spiffe://example.org/agent/", "max_ttl": "1h" } } }
              },
              "plugins": {
                "DataStore": { "sql": { "plugin_data": { "database_type": "sqlite3", "connection_string": "/tmp/x.sqlite3" } } },
                "KeyManager": { "memory": { "plugin_data": {} } }
              }
            }
            """;

        // Act
        var config = ServerConfigLoader.Parse(json, "server.json");

        // Assert
        Assert.That(config.TaskGrants.Single(), Is.EqualTo(
            new TaskGrant(SpiffeId.Parse("spiffe://example.org/spiffe-agent/admin"), SpiffeId.Parse("spiffe://example.org/agent"), TimeSpan.FromHours(1))));
    }

    [Test]
    public void Parse_NoGrantsAndNoWitTtl_AppliesDefaults()
    {
        // Act
        var config = ServerConfigLoader.Parse(Server(string.Empty), "server.conf");

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(config.TaskGrants, Is.Empty);
            Assert.That(config.DefaultWitSvidTtl, Is.EqualTo(TimeSpan.FromMinutes(5)));
        });
    }

    [Test]
    public void Parse_DefaultWitSvidTtl_IsRead()
    {
        // Act
        var config = ServerConfigLoader.Parse(Server("    default_wit_svid_ttl = \"90s\""), "server.conf");

        // Assert
        Assert.That(config.DefaultWitSvidTtl, Is.EqualTo(TimeSpan.FromSeconds(90)));
    }

    [TestCase("    default_wit_svid_ttl = \"0s\"", "server.conf:3: \"default_wit_svid_ttl\" must be greater than zero")]
    [TestCase("    task_grants {\n        grant \"not-an-id\" {\n            id_prefix = \"spiffe://example.org/a\"\n            max_ttl = \"1h\"\n        }\n    }",
        "server.conf:4: task grant \"not-an-id\": the label must be the admin SPIFFE ID (a SPIFFE ID with a path)")]
    [TestCase("    task_grants {\n        grant \"spiffe://other.org/admin\" {\n            id_prefix = \"spiffe://example.org/a\"\n            max_ttl = \"1h\"\n        }\n    }",
        "server.conf:4: task grant \"spiffe://other.org/admin\": the admin SPIFFE ID must be in the trust domain \"example.org\"")]
    [TestCase("    task_grants {\n        grant \"spiffe://example.org/spire/agent/x\" {\n            id_prefix = \"spiffe://example.org/a\"\n            max_ttl = \"1h\"\n        }\n    }",
        "server.conf:4: task grant \"spiffe://example.org/spire/agent/x\": the admin SPIFFE ID must not be a reserved /spire/ ID")]
    [TestCase("    task_grants {\n        grant \"spiffe://example.org/admin\" {\n            max_ttl = \"1h\"\n        }\n    }",
        "server.conf:4: missing required key \"id_prefix\"")]
    [TestCase("    task_grants {\n        grant \"spiffe://example.org/admin\" {\n            id_prefix = \"spiffe://example.org\"\n            max_ttl = \"1h\"\n        }\n    }",
        "server.conf:5: task grant \"spiffe://example.org/admin\": \"id_prefix\" must be a SPIFFE ID with a path, got \"spiffe://example.org\"")]
    [TestCase("    task_grants {\n        grant \"spiffe://example.org/admin\" {\n            id_prefix = \"spiffe://other.org/a\"\n            max_ttl = \"1h\"\n        }\n    }",
        "server.conf:5: task grant \"spiffe://example.org/admin\": \"id_prefix\" must be in the trust domain \"example.org\"")]
    [TestCase("    task_grants {\n        grant \"spiffe://example.org/admin\" {\n            id_prefix = \"spiffe://example.org/a\"\n            max_ttl = \"0s\"\n        }\n    }",
        "server.conf:6: task grant \"spiffe://example.org/admin\": \"max_ttl\" must be greater than zero")]
    [TestCase("    task_grants {\n        grant \"spiffe://example.org/admin\" {\n            id_prefix = \"spiffe://example.org/a\"\n            max_ttl = \"1h\"\n            colour = \"blue\"\n        }\n    }",
        "server.conf:7: unknown key \"colour\" in block \"server.task_grants.grant.spiffe://example.org/admin\"")]
    [TestCase("    task_grants {\n        allow = true\n    }",
        "server.conf:4: unknown key \"allow\" in block \"server.task_grants\"")]
    public void Parse_BadGrantOrWitTtl_FailsNamingTheProblemAndLine(string block, string expected)
    {
        // Act
        var ex = Assert.Throws<ConfigException>(() => ServerConfigLoader.Parse(Server(block), "server.conf"));

        // Assert
        Assert.That(ex!.Message, Does.Contain(expected));
    }

    [Test]
    public void Parse_SameAdminIdTwice_FailsNamingTheDuplicate()
    {
        // Arrange
        var grant = """
                    grant "spiffe://example.org/spiffe-agent/admin" {
                        id_prefix = "spiffe://example.org/agent"
                        max_ttl = "1h"
                    }
            """;

        // Act
        var ex = Assert.Throws<ConfigException>(() => ServerConfigLoader.Parse(Server("    task_grants {\n" + grant + "\n" + grant + "\n    }"), "server.conf"));

        // Assert
        Assert.That(ex!.Message, Does.Contain("task grant \"spiffe://example.org/spiffe-agent/admin\" is configured more than once"));
    }

    [TestCase("spiffe://example.org/agent", true)]
    [TestCase("spiffe://example.org/agent/a/task/1", true)]
    [TestCase("spiffe://example.org/agents/a", false)]
    [TestCase("spiffe://example.org/agen", false)]
    [TestCase("spiffe://example.org/other/agent/a", false)]
    [TestCase("spiffe://other.org/agent/a", false)]
    public void Covers_Id_MatchesAtASegmentBoundary(string id, bool expected)
    {
        // Arrange
        var grant = new TaskGrant(SpiffeId.Parse("spiffe://example.org/admin"), SpiffeId.Parse("spiffe://example.org/agent"), TimeSpan.FromHours(1));

        // Act
        var covered = grant.Covers(SpiffeId.Parse(id));

        // Assert
        Assert.That(covered, Is.EqualTo(expected));
    }

    [Test]
    public void Load_RepositoryServerConf_GrantsTheStackAgentAdminIdentityAndEnablesWit()
    {
        // Act
        var config = ServerConfigLoader.Load(Path.Combine(TestPaths.RepoRoot, "spire-config", "server.conf"));

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(config.TaskGrants.Single().AdminId, Is.EqualTo(SpiffeId.Parse("spiffe://example.org/spiffe-agent/admin")));
            Assert.That(config.TaskGrants.Single().IdPrefix, Is.EqualTo(SpiffeId.Parse("spiffe://example.org/agent")));
            Assert.That(config.FeatureFlags, Does.Contain("wit-svid"));
        });
    }

    private static string Server(string lines) => Template.Replace("%SERVER%", lines, StringComparison.Ordinal);
}
