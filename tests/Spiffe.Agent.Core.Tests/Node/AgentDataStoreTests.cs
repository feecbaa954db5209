using System.Runtime.Versioning;
using Spiffe.Agent.Core.Node;
using Spiffe.Core;
using Spiffe.Testing;

namespace Spiffe.Agent.Core.Tests.Node;

[TestFixture]
public sealed class AgentDataStoreTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private string _directory = null!;

    [SetUp]
    public void SetUp() => _directory = Directory.CreateTempSubdirectory("agent-data-tests-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_directory, recursive: true);

    [Test]
    public void Load_NoFile_ReturnsEmpty()
    {
        // Act
        var data = new AgentDataStore(_directory).Load();

        // Assert
        Assert.That(data, Is.SameAs(StoredAgentData.Empty));
    }

    [Test]
    public void Save_ThenLoad_RoundTripsChainBundleAndReattestable()
    {
        // Arrange
        var ca = TestCa.CreateRoot(TrustDomain.Parse("example.org"), Now);
        var svid = ca.IssueX509Svid(SpiffeId.Parse("spiffe://example.org/spire/agent/x"));
        var store = new AgentDataStore(_directory);

        // Act
        store.Save(new StoredAgentData(svid.Certificates, [ca.RootCertificate], Reattestable: true));
        var loaded = new AgentDataStore(_directory).Load();

        // Assert
        Assert.That(loaded.SvidChain.Select(c => c.Thumbprint), Is.EqualTo(svid.Certificates.Select(c => c.Thumbprint)));
        Assert.That(loaded.Bundle.Single().Thumbprint, Is.EqualTo(ca.RootCertificate.Thumbprint));
        Assert.That(loaded.Reattestable, Is.True);
    }

    [Test]
    [Platform("Linux,MacOsX")]
    [UnsupportedOSPlatform("windows")]
    public void Save_ReplacesAWorldReadableFile_WithAnOwnerOnlyOneAndNoTemporaryFiles()
    {
        // Arrange
        var store = new AgentDataStore(_directory);
        File.WriteAllText(store.FilePath, "{}");
        File.SetUnixFileMode(store.FilePath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        // Act
        store.Save(StoredAgentData.Empty);

        // Assert
        Assert.That(File.GetUnixFileMode(store.FilePath), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
        Assert.That(Directory.GetFiles(_directory), Is.EqualTo(new[] { store.FilePath }));
    }

    [Test]
    public void Load_CorruptFile_ThrowsInvalidData()
    {
        // Arrange
        var store = new AgentDataStore(_directory);
        File.WriteAllText(store.FilePath, "{\"svid\": [\"not a certificate\"]}");

        // Act + Assert
        var error = Assert.Throws<InvalidDataException>(() => store.Load());
        Assert.That(error!.Message, Does.StartWith(store.FilePath + " is corrupt"));
    }

    [Test]
    [Platform("Linux,MacOsX")]
    [UnsupportedOSPlatform("windows")]
    public void WriteAtomically_MissingDirectory_CreatesItOwnerOnly()
    {
        // Arrange
        var nested = Path.Combine(_directory, "nested", "data");
        var path = Path.Combine(nested, "file.json");

        // Act
        SecureFile.WriteAtomically(path, "x"u8);

        // Assert
        Assert.That(File.ReadAllText(path), Is.EqualTo("x"));
        Assert.That(File.GetUnixFileMode(nested), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute));
    }
}
