using Spiffe.Agent.Attestation.Attestors.Unix;

namespace Spiffe.Agent.Attestation.Tests.Attestors.Unix;

[TestFixture]
public sealed class AccountNamesTests
{
    private const string Passwd =
        "root:x:0:0:root:/root:/bin/bash\n# comment:x:5:5\n+nis:x:6:6::/:/bin/sh\n" +
        "alice:x:1000:1000:Alice:/home/alice:/bin/bash\nalias:x:1000:1000::/:/bin/sh\nbroken:x:notanumber:1\n\nshort:x\n";

    private DirectoryInfo _directory = null!;

    [SetUp]
    public void SetUp() => _directory = Directory.CreateTempSubdirectory("spiffe-accounts-");

    [TearDown]
    public void TearDown() => _directory.Delete(recursive: true);

    [TestCase(0u, "root")]
    [TestCase(1000u, "alice")]
    [TestCase(5u, null)]
    [TestCase(6u, null)]
    [TestCase(4242u, null)]
    public void ParseIdNames_PasswdText_MapsFirstEntryPerId(uint id, string? expected)
    {
        // Arrange / Act
        var names = AccountNames.ParseIdNames(Passwd);

        // Assert
        Assert.That(names.GetValueOrDefault(id), Is.EqualTo(expected));
    }

    [Test]
    public void FindNames_FilesChange_ReadsNewContent()
    {
        // Arrange
        var passwd = Path.Combine(_directory.FullName, "passwd");
        var group = Path.Combine(_directory.FullName, "group");
        File.WriteAllText(passwd, "alice:x:1000:1000::/:/bin/sh\n");
        File.WriteAllText(group, "staff:x:50:alice\n");
        var names = new AccountNames(passwd, group);
        var before = (names.FindUserName(1000), names.FindGroupName(50));

        // Act: a replaced file (new inode, other length) must be read again
        var replacement = Path.Combine(_directory.FullName, "passwd.new");
        File.WriteAllText(replacement, "bob:x:1000:1000::/:/bin/sh\ncarol:x:1001:1001::/:/bin/sh\n");
        File.Move(replacement, passwd, overwrite: true);
        var after = (names.FindUserName(1000), names.FindUserName(1001));

        // Assert
        Assert.That(before, Is.EqualTo(("alice", "staff")));
        Assert.That(after, Is.EqualTo(("bob", "carol")));
    }

    [Test]
    public void FindNames_MissingFiles_ResolveNothing()
    {
        // Arrange
        var names = new AccountNames(Path.Combine(_directory.FullName, "none"), Path.Combine(_directory.FullName, "none2"));

        // Act / Assert
        Assert.That(names.FindUserName(0), Is.Null);
        Assert.That(names.FindGroupName(0), Is.Null);
    }
}
