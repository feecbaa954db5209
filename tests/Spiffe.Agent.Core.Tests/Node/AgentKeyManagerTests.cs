using System.Runtime.Versioning;
using System.Security.Cryptography.X509Certificates;
using Spiffe.Agent.Core.Node;

namespace Spiffe.Agent.Core.Tests.Node;

[TestFixture]
public sealed class AgentKeyManagerTests
{
    private string _directory = null!;

    [SetUp]
    public void SetUp() => _directory = Directory.CreateTempSubdirectory("agent-keys-tests-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_directory, recursive: true);

    [Test]
    public void FindKey_DiskManagerAfterRestart_FindsThePersistedKey()
    {
        // Arrange
        var options = new AgentOptions { DataDirectory = _directory, KeyManager = AgentKeyManagerKind.Disk };
        var key = AgentKeyManager.Create(options).GenerateKey(null);

        // Act
        var found = AgentKeyManager.Create(options).FindKey(new PublicKey(key));

        // Assert
        Assert.That(found, Is.Not.Null);
        Assert.That(found!.ExportSubjectPublicKeyInfo(), Is.EqualTo(key.ExportSubjectPublicKeyInfo()));
    }

    [Test]
    public void FindKey_MemoryManagerAfterRestart_FindsNothingAndWritesNoFile()
    {
        // Arrange
        var options = new AgentOptions { DataDirectory = _directory, KeyManager = AgentKeyManagerKind.Memory };
        var key = AgentKeyManager.Create(options).GenerateKey(null);

        // Act
        var found = AgentKeyManager.Create(options).FindKey(new PublicKey(key));

        // Assert
        Assert.That(found, Is.Null);
        Assert.That(Directory.GetFiles(_directory), Is.Empty);
    }

    [Test]
    public void GenerateKey_AlternatesSlots_KeepingTheKeyInUse()
    {
        // Arrange
        var manager = AgentKeyManager.Create(new AgentOptions { DataDirectory = _directory });
        var first = manager.GenerateKey(null);

        // Act
        var second = manager.GenerateKey(first);
        var third = manager.GenerateKey(second);

        // Assert: the second generation kept the first; the third replaced it but kept the second
        Assert.That(manager.FindKey(new PublicKey(second)), Is.SameAs(second));
        Assert.That(manager.FindKey(new PublicKey(third)), Is.SameAs(third));
        Assert.That(manager.FindKey(new PublicKey(first)), Is.Null);
    }

    [Test]
    [Platform("Linux,MacOsX")]
    [UnsupportedOSPlatform("windows")]
    public void GenerateKey_Disk_WritesKeysFileOwnerOnly()
    {
        // Arrange
        var manager = AgentKeyManager.Create(new AgentOptions { DataDirectory = _directory });

        // Act
        manager.GenerateKey(null);

        // Assert
        var path = Path.Combine(_directory, AgentKeyManager.KeysFileName);
        Assert.That(File.GetUnixFileMode(path), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
        Assert.That(File.ReadAllText(path), Does.Contain("\"agent-svid-A\""));
    }

    [Test]
    public void FindKey_CorruptKeysFile_ThrowsInvalidData()
    {
        // Arrange
        File.WriteAllText(Path.Combine(_directory, AgentKeyManager.KeysFileName), "{\"keys\":{\"agent-svid-A\":\"!!\"}}");
        var manager = AgentKeyManager.Create(new AgentOptions { DataDirectory = _directory });
        var key = AgentKeyManager.Create(new AgentOptions { DataDirectory = _directory, KeyManager = AgentKeyManagerKind.Memory }).GenerateKey(null);

        // Act + Assert
        Assert.Throws<InvalidDataException>(() => manager.FindKey(new PublicKey(key)));
    }
}
