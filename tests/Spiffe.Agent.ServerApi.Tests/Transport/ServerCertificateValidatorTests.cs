using Spiffe.Agent.ServerApi.Transport;
using Spiffe.Core;
using Spiffe.Testing;

namespace Spiffe.Agent.ServerApi.Tests.Transport;

[TestFixture]
public sealed class ServerCertificateValidatorTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TrustDomain ExampleOrg = TrustDomain.Parse("example.org");
    private static readonly SpiffeId ServerId = SpiffeId.Parse("spiffe://example.org/spire/server");

    private readonly TestCa _ca = TestCa.CreateRoot(ExampleOrg, Now);

    [Test]
    public void Validate_ServerSvidChainingToTheBundle_Accepted()
    {
        // Arrange
        var intermediate = _ca.CreateIntermediate();
        var server = intermediate.IssueX509Svid(ServerId, new TestCertificateOptions { DnsSans = ["not-the-host-we-dialled"] });

        // Act
        var error = ServerCertificateValidator.Validate(server.Leaf, server.Certificates, _ca.CreateX509Bundle(), ExampleOrg, Now);

        // Assert
        Assert.That(error, Is.Null);
    }

    [Test]
    public void Validate_OtherSpiffeId_Rejected()
    {
        // Arrange
        var impostor = _ca.IssueX509Svid(SpiffeId.Parse("spiffe://example.org/spire/agent/x"));

        // Act
        var error = ServerCertificateValidator.Validate(impostor.Leaf, [], _ca.CreateX509Bundle(), ExampleOrg, Now);

        // Assert
        Assert.That(error, Is.EqualTo("server SPIFFE ID is \"spiffe://example.org/spire/agent/x\", expected \"spiffe://example.org/spire/server\""));
    }

    [Test]
    public void Validate_UntrustedChain_Rejected()
    {
        // Arrange
        var stranger = TestCa.CreateRoot(ExampleOrg, Now).IssueX509Svid(ServerId);

        // Act
        var error = ServerCertificateValidator.Validate(stranger.Leaf, [], _ca.CreateX509Bundle(), ExampleOrg, Now);

        // Assert
        Assert.That(error, Does.StartWith("server certificate is not trusted: "));
    }

    [Test]
    public void Validate_ExpiredServerCertificate_Rejected()
    {
        // Arrange
        var server = _ca.IssueX509Svid(ServerId);

        // Act
        var error = ServerCertificateValidator.Validate(server.Leaf, [], _ca.CreateX509Bundle(), ExampleOrg, Now.AddHours(2));

        // Assert
        Assert.That(error, Does.StartWith("server certificate is not trusted: "));
    }

    [Test]
    public void Validate_InsecureBootstrapWithTheServerId_AcceptedWithoutChain()
    {
        // Arrange
        var stranger = TestCa.CreateRoot(ExampleOrg, Now).IssueX509Svid(ServerId);

        // Act
        var error = ServerCertificateValidator.Validate(stranger.Leaf, [], null, ExampleOrg, Now);

        // Assert
        Assert.That(error, Is.Null);
    }

    [TestCase("spiffe://example.org/spire/agent/x", TestName = "Validate_InsecureBootstrapOtherId_Rejected")]
    [TestCase("spiffe://example.org/spire/server/", TestName = "Validate_InsecureBootstrapTrailingSlash_Rejected")]
    [TestCase("spiffe://example.org/spire/server,spiffe://example.org/other", TestName = "Validate_InsecureBootstrapTwoUris_Rejected")]
    public void Validate_InsecureBootstrapWithoutExactlyTheServerId_Rejected(string uris)
    {
        // Arrange
        var leaf = _ca.IssueX509Svid(ServerId, new TestCertificateOptions { UriSans = uris.Split(',') }).Leaf;

        // Act
        var error = ServerCertificateValidator.Validate(leaf, [], null, ExampleOrg, Now);

        // Assert
        Assert.That(error, Is.EqualTo("server certificate must have exactly one URI SAN \"spiffe://example.org/spire/server\""));
    }
}
