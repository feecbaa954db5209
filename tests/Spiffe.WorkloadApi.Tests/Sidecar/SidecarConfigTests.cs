using Spiffe.Sidecar;

namespace Spiffe.WorkloadApi.Tests.Sidecar;

[TestFixture]
public sealed class SidecarConfigTests
{
    private static readonly object[] Invalid =
    [
        new object[] { "svid_file_name = \"a\"\nbogus = 1\n", "helper.conf:2: unknown key \"bogus\"" },
        new object[] { "svid_file_name = \"a\"\n", "all or none of \"svid_file_name\"" },
        new object[] { "daemon_mode = false\n", "nothing to write" },
        new object[] { "jwt_bundle_file_name = \"b\"\npid_file_name = \"/run/x.pid\"\n", "helper.conf:2: \"pid_file_name\" needs \"renew_signal\"" },
        new object[] { "jwt_bundle_file_name = \"b\"\nrenew_signal = \"SIGNOPE\"\n", "\"renew_signal\" \"SIGNOPE\" is not a known signal" },
        new object[] { "jwt_bundle_file_name = \"b\"\ncert_file_mode = 0999\n", "\"cert_file_mode\" must be an octal file mode" },
        new object[] { "jwt_bundle_file_name = \"b\"\nkey_file_mode = 01777\n", "\"key_file_mode\" must be an octal file mode" },
        new object[] { "jwt_bundle_file_name = \"b\"\nagent_address = \"tcp://localhost:1\"\n", "helper.conf:2: \"agent_address\": invalid Workload API address" },
        new object[] { "jwt_bundle_file_name = \"b\"\ncmd = \"/bin/x\"\ncmd_args = \"\\\"open\"\n", "unterminated double quote" },
        new object[] { "jwt_bundle_file_name = \"b\"\ncmd_args = \"-v\"\n", "\"cmd_args\" needs \"cmd\"" },
        new object[] { "jwt_svids = [{ jwt_svid_file_name = \"t\" }]\n", "jwt_svids[0] needs \"jwt_audience\" and \"jwt_svid_file_name\"" },
        new object[] { "jwt_svids = [{ jwt_audience = \"a\", jwt_svid_file_name = \"t\", extra = 1 }]\n", "unknown key \"extra\" in jwt_svids[0]" },
        new object[] { "jwt_bundle_file_name = \"b\"\ncmd = \"/bin/x\"\nrenew_signal = \"SIGHUP\"\ndaemon_mode = false\n", "needs \"daemon_mode\" = true" },
        new object[] { "jwt_bundle_file_name = \"b\"\ntimeout = \"0s\"\n", "\"timeout\" must be greater than zero" },
        new object[] { "jwt_bundle_file_name = \"b\"\ndaemon_mode = \"yes\"\n", "\"daemon_mode\" must be true or false" },
        new object[] { "svid_file_name = ", "helper.conf:1" },
    ];

    [Test]
    public void Parse_EveryKey_BindsOptions()
    {
        // Arrange
        const string text = """
            agent_address = "unix:///run/spire/agent.sock"
            cert_dir = "/var/run/certs"
            svid_file_name = "svid.pem"
            svid_key_file_name = "svid_key.pem"
            svid_bundle_file_name = "bundle.pem"
            add_intermediates_to_bundle = true
            include_federated_domains = true
            jwt_svids = [
              { jwt_audience = "api", jwt_svid_file_name = "api.token" },
              { jwt_audience = "db", jwt_extra_audiences = ["audit"], jwt_svid_file_name = "db.token" },
            ]
            jwt_bundle_file_name = "jwt_bundle.json"
            cmd = "/usr/sbin/nginx"
            cmd_args = "-g \"daemon off;\" -c /etc/nginx.conf"
            renew_signal = "SIGHUP"
            pid_file_name = "/run/nginx.pid"
            cert_file_mode = 0640
            key_file_mode = 0400
            jwt_bundle_file_mode = 0644
            jwt_svid_file_mode = 0440
            daemon_mode = true
            timeout = "1m30s"
            """;

        // Act
        var options = SidecarConfig.Parse(text, "helper.conf");

        // Assert
        Assert.That(options.AgentAddress, Is.EqualTo("unix:///run/spire/agent.sock"));
        Assert.That(options.CertDirectory, Is.EqualTo("/var/run/certs"));
        Assert.That((options.SvidFileName, options.SvidKeyFileName, options.SvidBundleFileName), Is.EqualTo(("svid.pem", "svid_key.pem", "bundle.pem")));
        Assert.That(options.X509Enabled, Is.True);
        Assert.That(options.AddIntermediatesToBundle, Is.True);
        Assert.That(options.IncludeFederatedDomains, Is.True);
        Assert.That(options.JwtSvids, Has.Count.EqualTo(2));
        Assert.That(options.JwtSvids[0], Is.EqualTo(new JwtSvidFileOptions("api", [], "api.token")).Using<JwtSvidFileOptions>(SameJwtSvidFile));
        Assert.That(options.JwtSvids[1], Is.EqualTo(new JwtSvidFileOptions("db", ["audit"], "db.token")).Using<JwtSvidFileOptions>(SameJwtSvidFile));
        Assert.That(options.JwtBundleFileName, Is.EqualTo("jwt_bundle.json"));
        Assert.That(options.Command, Is.EqualTo("/usr/sbin/nginx"));
        Assert.That(options.CommandArguments, Is.EqualTo(new[] { "-g", "daemon off;", "-c", "/etc/nginx.conf" }));
        Assert.That(options.RenewSignal, Is.EqualTo(SidecarSignal.Hangup));
        Assert.That(options.PidFileName, Is.EqualTo("/run/nginx.pid"));
        Assert.That(options.CertFileMode, Is.EqualTo((UnixFileMode)0b110_100_000));
        Assert.That(options.KeyFileMode, Is.EqualTo(UnixFileMode.UserRead));
        Assert.That(options.JwtBundleFileMode, Is.EqualTo((UnixFileMode)0b110_100_100));
        Assert.That(options.JwtSvidFileMode, Is.EqualTo((UnixFileMode)0b100_100_000));
        Assert.That(options.DaemonMode, Is.True);
        Assert.That(options.Timeout, Is.EqualTo(TimeSpan.FromSeconds(90)));
    }

    [Test]
    public void Parse_MinimalConfig_AppliesSpiffeHelperDefaults()
    {
        // Act
        var options = SidecarConfig.Parse("jwt_bundle_file_name = \"bundle.json\"\n", "helper.conf");

        // Assert
        Assert.That(options.AgentAddress, Is.Null);
        Assert.That(options.CertDirectory, Is.EqualTo("."));
        Assert.That(options.X509Enabled, Is.False);
        Assert.That(options.CertFileMode, Is.EqualTo((UnixFileMode)0b110_100_100));
        Assert.That(options.KeyFileMode, Is.EqualTo((UnixFileMode)0b110_000_000));
        Assert.That(options.JwtBundleFileMode, Is.EqualTo((UnixFileMode)0b110_000_000));
        Assert.That(options.JwtSvidFileMode, Is.EqualTo((UnixFileMode)0b110_000_000));
        Assert.That(options.DaemonMode, Is.True);
        Assert.That(options.Timeout, Is.EqualTo(TimeSpan.FromSeconds(30)));
        Assert.That(options.RenewSignal, Is.Null);
    }

    [Test]
    public void Parse_BareSocketPathAndShortSignalName_NormalisedLikeSpiffeHelper()
    {
        // Act
        var options = SidecarConfig.Parse("agent_address = \"/tmp/spire-agent/public/api.sock\"\njwt_bundle_file_name = \"b\"\nrenew_signal = \"USR1\"\n", "helper.conf");

        // Assert
        Assert.That(options.AgentAddress, Is.EqualTo("unix:///tmp/spire-agent/public/api.sock"));
        Assert.That(options.RenewSignal, Is.EqualTo(SidecarSignal.User1));
    }

    [Test]
    public void Parse_Json_SameOptionsAsHcl()
    {
        // Act
        var options = SidecarConfig.Parse("""{ "jwt_svids": [ { "jwt_audience": "api", "jwt_svid_file_name": "t" } ], "daemon_mode": false }""", "helper.json");

        // Assert
        Assert.That(options.JwtSvids.Single().Audience, Is.EqualTo("api"));
        Assert.That(options.DaemonMode, Is.False);
    }

    [TestCaseSource(nameof(Invalid))]
    public void Parse_InvalidConfig_ThrowsNamingTheProblem(string text, string expected)
    {
        // Act
        var exception = Assert.Throws<SidecarConfigException>(() => SidecarConfig.Parse(text, "helper.conf"));

        // Assert
        Assert.That(exception.Message, Does.StartWith("invalid sidecar configuration:"));
        Assert.That(exception.Message, Does.Contain(expected));
    }

    [Test]
    public void Parse_SeveralProblems_ReportsAll()
    {
        // Act
        var exception = Assert.Throws<SidecarConfigException>(() => SidecarConfig.Parse("svid_file_name = \"a\"\ncert_file_mode = \"rw\"\nunknown = 1\n", "helper.conf"));

        // Assert
        Assert.That(exception.Message, Does.Contain("all or none"));
        Assert.That(exception.Message, Does.Contain("\"cert_file_mode\" must be an octal file mode"));
        Assert.That(exception.Message, Does.Contain("unknown key \"unknown\""));
    }

    [Test]
    public void Load_File_ReadsIt()
    {
        // Arrange
        var path = Path.GetTempFileName();
        File.WriteAllText(path, "jwt_bundle_file_name = \"b\"\n");
        try
        {
            // Act
            var options = SidecarConfig.Load(path);

            // Assert
            Assert.That(options.JwtBundleFileName, Is.EqualTo("b"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static bool SameJwtSvidFile(JwtSvidFileOptions a, JwtSvidFileOptions b) =>
        a.Audience == b.Audience && a.FileName == b.FileName && a.ExtraAudiences.SequenceEqual(b.ExtraAudiences);
}
