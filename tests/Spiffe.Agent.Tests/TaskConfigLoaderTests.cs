using System.Runtime.Versioning;
using Spiffe.Agent.Configuration;
using Spiffe.Agent.Endpoints.Admin;
using Spiffe.Agent.Tests.Infrastructure;
using Spiffe.Configuration;

namespace Spiffe.Agent.Tests;

/// <summary>The <c>tasks { }</c> block of agent.conf: every key, the defaults, and errors named with their line.</summary>
[TestFixture]
[SupportedOSPlatform("linux")]
public sealed class TaskConfigLoaderTests
{
    private const string Agent = """
        agent {
            trust_domain = "example.org"
            server_address = "127.0.0.1"
            server_port = "8081"
            trust_bundle_path = "/bootstrap.crt"
            data_dir = "/var/lib/spiffe-agent"
            socket_path = "/run/spiffe/public/api.sock"
        }

        plugins {
            NodeAttestor "join_token" { plugin_data {} }
            KeyManager "memory" { plugin_data {} }
            WorkloadAttestor "unix" { plugin_data {} }
        }

        """;

    private TestDirectory _directory = null!;

    [SetUp]
    public void CreateDirectory() => _directory = new TestDirectory("sptcfg");

    [TearDown]
    public void DeleteDirectory() => _directory.Dispose();

    [Test]
    public void Load_EveryTaskKey_BindsEverySetting()
    {
        // Arrange
        var path = Write(Agent + """
            tasks {
                enabled = true
                parent_cgroup = "spiffe-tasks"
                max_ttl = "1h"
                default_ttl = "10m"
                spiffe_id_template = "spiffe://{trust_domain}/ai/{agent}/{task_id}"
                policy_dir = "/etc/policies"
                audit_dir = "/var/log/audit"
                allowed_uids = [0, 1000]
                admin_spiffe_id = "spiffe://example.org/ops/agent-admin"
                policy_for_all_callers = true
            }
            """);

        // Act
        var tasks = AgentConfigLoader.Load(path, expandEnv: false, new AgentConfigOverrides()).Tasks!;

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(tasks.Enabled, Is.True);
            Assert.That(tasks.Tasks.CgroupParent, Is.EqualTo("spiffe-tasks"));
            Assert.That(tasks.Tasks.MaxTtl, Is.EqualTo(TimeSpan.FromHours(1)));
            Assert.That(tasks.Tasks.DefaultTtl, Is.EqualTo(TimeSpan.FromMinutes(10)));
            Assert.That(tasks.Tasks.DataDirectory, Is.EqualTo("/var/lib/spiffe-agent"));
            Assert.That(tasks.Identity.SpiffeIdFor(Spiffe.Core.TrustDomain.Parse("example.org"), "r", "T1").ToString(), Is.EqualTo("spiffe://example.org/ai/r/T1"));
            Assert.That(tasks.Policy.Directory, Is.EqualTo("/etc/policies"));
            Assert.That(tasks.Audit.Directory, Is.EqualTo("/var/log/audit"));
            Assert.That(tasks.Admin.AllowedUids, Is.EqualTo(new uint[] { 0, 1000 }));
            Assert.That(tasks.Admin.SocketPath, Is.EqualTo(AdminEndpointOptions.DefaultSocketPath));
            Assert.That(tasks.Identity.AdminSpiffeId.ToString(), Is.EqualTo("spiffe://example.org/ops/agent-admin"));
            Assert.That(tasks.Identity.PolicyForAllCallers, Is.True);
            Assert.That(tasks.Endpoint.PolicyForAllCallers, Is.True);
        }
    }

    [Test]
    public void Load_EmptyTaskBlock_UsesDefaults()
    {
        // Arrange
        var path = Write(Agent + "tasks {}\n");

        // Act
        var tasks = AgentConfigLoader.Load(path, expandEnv: false, new AgentConfigOverrides()).Tasks!;

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(tasks.Enabled, Is.True);
            Assert.That(tasks.Audit.Directory, Is.EqualTo("/var/lib/spiffe-agent/audit"));
            Assert.That(tasks.Admin.AllowedUids, Is.EqualTo(new uint[] { 0 }));
            Assert.That(tasks.Identity.AdminSpiffeId.ToString(), Is.EqualTo("spiffe://example.org/spiffe-agent/admin"));
            Assert.That(tasks.Identity.PolicyForAllCallers, Is.False);
        }
    }

    [TestCase("bogus = 1", "agent.conf:16: unknown key \"bogus\" in block \"tasks\"")]
    [TestCase("max_ttl = \"0s\"", "agent.conf:16: \"max_ttl\" must be positive")]
    [TestCase("allowed_uids = [\"root\"]", "agent.conf:16: \"allowed_uids\" must be a list of user IDs, not \"root\"")]
    [TestCase("admin_spiffe_id = \"spiffe://other.org/admin\"", "agent.conf:16: \"admin_spiffe_id\" must be a SPIFFE ID with a path in the agent's trust domain, not \"spiffe://other.org/admin\"")]
    [TestCase("spiffe_id_template = \"spiffe://other.org/{task_id}\"", "agent.conf:16: \"spiffe_id_template\" must yield SPIFFE IDs in the agent's trust domain")]
    public void Load_BadTaskKey_ReportedWithItsLine(string line, string expected)
    {
        // Arrange
        var path = Write(Agent + "tasks {\n    " + line + "\n}\n");

        // Act
        var ex = Assert.Throws<ConfigException>(() => AgentConfigLoader.Load(path, expandEnv: false, new AgentConfigOverrides()));

        // Assert
        Assert.That(ex!.Errors.Select(e => e.ToString().Replace(path, "agent.conf", StringComparison.Ordinal)), Does.Contain(expected));
    }

    [Test]
    public void Load_AdminSocketInPublicSocketDirectory_Refused()
    {
        // Arrange
        var path = Write(Agent.Replace("socket_path = \"/run/spiffe/public/api.sock\"", "socket_path = \"/run/spiffe/public/api.sock\"\n    admin_socket_path = \"/run/spiffe/public/admin.sock\"", StringComparison.Ordinal) + "tasks {}\n");

        // Act
        var ex = Assert.Throws<ConfigException>(() => AgentConfigLoader.Load(path, expandEnv: false, new AgentConfigOverrides()));

        // Assert
        Assert.That(ex!.Message, Does.Contain("\"admin_socket_path\" cannot be in the same directory as"));
    }

    private string Write(string text)
    {
        var path = _directory.Combine("agent.conf");
        File.WriteAllText(path, text);
        return path;
    }
}
