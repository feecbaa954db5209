using System.Security.Cryptography;
using Spiffe.Server.Ca;
using Spiffe.Server.Config;
using Spiffe.Server.Tests.Infrastructure;

namespace Spiffe.Server.Tests.Ca;

[TestFixture]
public sealed class DiskKeyManagerTests
{
    [Test]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public void GenerateKey_WritesOwnerOnlyFileThatReloads()
    {
        // Arrange
        using var files = new TempDirectory();
        var path = files.File("keys/keys.json");
        var manager = DiskKeyManager.Open(path);

        // Act
        var ec = manager.GenerateKey("x509-CA-1", KeyType.EcP384);
        var rsa = manager.GenerateKey("JWT-Signer-1", KeyType.Rsa2048);
        var reloaded = DiskKeyManager.Open(path);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(File.GetUnixFileMode(path), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
            Assert.That(reloaded.GetKey("x509-CA-1")!.ExportSubjectPublicKeyInfo(), Is.EqualTo(ec.ExportSubjectPublicKeyInfo()));
            Assert.That(reloaded.GetKey("JWT-Signer-1"), Is.InstanceOf<RSA>());
            Assert.That(reloaded.GetKey("JWT-Signer-1")!.ExportSubjectPublicKeyInfo(), Is.EqualTo(rsa.ExportSubjectPublicKeyInfo()));
            Assert.That(Directory.GetFiles(Path.GetDirectoryName(path)!), Is.EqualTo(new[] { path }));
        });
    }

    [Test]
    public void Retain_DropsOtherKeysFromTheFile()
    {
        // Arrange
        using var files = new TempDirectory();
        var path = files.File("keys.json");
        var manager = DiskKeyManager.Open(path);
        manager.GenerateKey("a", KeyType.EcP256);
        manager.GenerateKey("b", KeyType.EcP256);

        // Act
        manager.Retain(new HashSet<string>(["b"]));
        var reloaded = DiskKeyManager.Open(path);

        // Assert
        Assert.That(reloaded.GetKey("a"), Is.Null);
        Assert.That(reloaded.GetKey("b"), Is.Not.Null);
    }

    [Test]
    public void Open_CorruptFile_FailsNamingTheFile()
    {
        // Arrange
        using var files = new TempDirectory();
        var path = files.File("keys.json");
        File.WriteAllText(path, "{ not json");

        // Act
        var ex = Assert.Throws<InvalidOperationException>(() => DiskKeyManager.Open(path));

        // Assert
        Assert.That(ex!.Message, Does.StartWith($"key file \"{path}\" is unreadable"));
    }
}
