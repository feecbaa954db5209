using System.Net;

namespace Spiffe.WorkloadApi.Tests.Address;

[TestFixture]
public sealed class WorkloadApiAddressTests
{
    private static readonly object[] ValidUnix =
    [
        new object[] { "unix:///run/spire/agent.sock", "/run/spire/agent.sock" },
        new object[] { "unix:/run/spire/agent.sock", "/run/spire/agent.sock" },
        new object[] { "UNIX:///tmp/a.sock", "/tmp/a.sock" },
        new object[] { "unix:///tmp/with%20space.sock", "/tmp/with space.sock" },
    ];

    private static readonly object[] ValidTcp =
    [
        new object[] { "tcp://127.0.0.1:8081", "127.0.0.1:8081" },
        new object[] { "tcp://[::1]:8081", "[::1]:8081" },
        new object[] { "tcp://10.0.0.7:65535", "10.0.0.7:65535" },
    ];

    private static readonly object[] Invalid =
    [
        new object[] { "", "missing scheme" },
        new object[] { "/run/agent.sock", "missing scheme" },
        new object[] { "http://127.0.0.1:80", "scheme must be \"unix\" or \"tcp\"" },
        new object[] { "unix://host/run/agent.sock", "must not include an authority" },
        new object[] { "unix://user@/run/agent.sock", "must not include user info" },
        new object[] { "unix:", "must include a path" },
        new object[] { "unix://", "must include a path" },
        new object[] { "unix:relative/agent.sock", "path must be absolute" },
        new object[] { "unix:///run/agent.sock?x=1", "must not include a query" },
        new object[] { "unix:///run/agent.sock#frag", "must not include a fragment" },
        new object[] { "unix:///run/%zz.sock", "invalid percent-encoding" },
        new object[] { "tcp:127.0.0.1:80", "must include a host" },
        new object[] { "tcp://", "must include a host" },
        new object[] { "tcp://localhost:8081", "must be an IP address, not a hostname" },
        new object[] { "tcp://127.1:8081", "must be an IP address, not a hostname" },
        new object[] { "tcp://127.000.0.1:8081", "must be an IP address, not a hostname" },
        new object[] { "tcp://[fe80::1%eth0]:8081", "must be an IP address, not a hostname" },
        new object[] { "tcp://127.0.0.1", "must include a port" },
        new object[] { "tcp://127.0.0.1:", "must include a port" },
        new object[] { "tcp://[::1]", "must include a port" },
        new object[] { "tcp://127.0.0.1:0", "port must be a number between 1 and 65535" },
        new object[] { "tcp://127.0.0.1:70000", "port must be a number between 1 and 65535" },
        new object[] { "tcp://127.0.0.1:+80", "port must be a number between 1 and 65535" },
        new object[] { "tcp://127.0.0.1:8000/foo", "must not include a path" },
        new object[] { "tcp://127.0.0.1:8000?x=1", "must not include a query" },
        new object[] { "tcp://127.0.0.1:8000#f", "must not include a fragment" },
        new object[] { "tcp://user@127.0.0.1:8000", "must not include user info" },
    ];

    [TestCaseSource(nameof(ValidUnix))]
    public void Parse_ValidUnixAddress_ReturnsSocketPath(string address, string path)
    {
        // Act
        var result = WorkloadApiAddress.Parse(address);

        // Assert
        Assert.That(result.IsUnixSocket, Is.True);
        Assert.That(result.UnixSocketPath, Is.EqualTo(path));
        Assert.That(result.TcpEndPoint, Is.Null);
        Assert.That(result.ToString(), Is.EqualTo(address));
    }

    [TestCaseSource(nameof(ValidTcp))]
    public void Parse_ValidTcpAddress_ReturnsEndPoint(string address, string endPoint)
    {
        // Act
        var result = WorkloadApiAddress.Parse(address);

        // Assert
        Assert.That(result.IsUnixSocket, Is.False);
        Assert.That(result.TcpEndPoint, Is.EqualTo(IPEndPoint.Parse(endPoint)));
    }

    [TestCaseSource(nameof(Invalid))]
    public void Parse_InvalidAddress_ThrowsNamingTheRule(string address, string rule)
    {
        // Act
        var exception = Assert.Throws<FormatException>(() => WorkloadApiAddress.Parse(address));

        // Assert
        Assert.That(exception.Message, Does.StartWith($"invalid Workload API address \"{address}\": "));
        Assert.That(exception.Message, Does.Contain(rule));
    }

    [TestCaseSource(nameof(Invalid))]
    public void TryParse_InvalidAddress_ReturnsFalse(string address, string rule)
    {
        // Act
        var parsed = WorkloadApiAddress.TryParse(address, out var result);

        // Assert
        Assert.That(parsed, Is.False, rule);
        Assert.That(result, Is.Null);
    }

    [Test]
    public void TryParse_Null_ReturnsFalse()
    {
        // Act
        var parsed = WorkloadApiAddress.TryParse(null, out var result);

        // Assert
        Assert.That(parsed, Is.False);
        Assert.That(result, Is.Null);
    }

    [Test]
    [NonParallelizable]
    public void FromEnvironment_VariableSetOrUnset_ReadsSpiffeEndpointSocket()
    {
        // Arrange
        var saved = Environment.GetEnvironmentVariable(WorkloadApiAddress.EnvironmentVariable);
        try
        {
            // Act
            Environment.SetEnvironmentVariable(WorkloadApiAddress.EnvironmentVariable, "unix:///run/from-env.sock");
            var set = WorkloadApiAddress.FromEnvironment();
            Environment.SetEnvironmentVariable(WorkloadApiAddress.EnvironmentVariable, null);
            var unset = WorkloadApiAddress.FromEnvironment();
            Environment.SetEnvironmentVariable(WorkloadApiAddress.EnvironmentVariable, "tcp://localhost:1");
            var invalid = Assert.Throws<FormatException>(() => WorkloadApiAddress.FromEnvironment());

            // Assert
            Assert.That(set?.UnixSocketPath, Is.EqualTo("/run/from-env.sock"));
            Assert.That(unset, Is.Null);
            Assert.That(invalid.Message, Does.Contain("not a hostname"));
        }
        finally
        {
            Environment.SetEnvironmentVariable(WorkloadApiAddress.EnvironmentVariable, saved);
        }
    }
}
