using Spiffe.Agent.Attestation.Proc;

namespace Spiffe.Agent.Attestation.Tests.Proc;

[TestFixture]
public sealed class ProcStatusTests
{
    private const string StatusText =
        "Name:\tnginx\nUmask:\t0022\nState:\tS (sleeping)\nTgid:\t42\nPid:\t42\nPPid:\t1\n" +
        "Uid:\t1000\t1001\t1002\t1003\nGid:\t2000\t2001\t2002\t2003\nFDSize:\t64\nGroups:\t4 24 27 \n" +
        "NStgid:\t42\nVmPeak:\t  10000 kB\n";

    private static readonly string[] s_malformed =
    [
        "Gid:\t0\t0\t0\t0\n",
        "Uid:\t0\t0\t0\t0\n",
        "Uid:\t0\nGid:\t0\t0\t0\t0\n",
        "Uid:\t0\t-1\t0\t0\nGid:\t0\t0\t0\t0\n",
        "Uid:\t0\t0\t0\t0\nGid:\t0\t0\t0\t0\nGroups:\tx\n",
    ];

    [Test]
    public void Parse_StatusText_ReturnsEffectiveIdsAndGroups()
    {
        // Arrange / Act
        var status = ProcStatus.Parse(StatusText);

        // Assert
        Assert.That(status.EffectiveUid, Is.EqualTo(1001u));
        Assert.That(status.EffectiveGid, Is.EqualTo(2001u));
        Assert.That(status.SupplementaryGroups, Is.EqualTo(new uint[] { 4, 24, 27 }));
    }

    [TestCase("Uid:\t0\t0\t0\t0\nGid:\t0\t0\t0\t0\nGroups:\t \n")]
    [TestCase("Uid:\t0\t0\t0\t0\nGid:\t0\t0\t0\t0\n")]
    public void Parse_NoGroups_ReturnsEmptyGroups(string text)
    {
        // Arrange / Act
        var status = ProcStatus.Parse(text);

        // Assert
        Assert.That(status.SupplementaryGroups, Is.Empty);
    }

    [TestCaseSource(nameof(s_malformed))]
    public void Parse_MalformedText_ThrowsFormatException(string text)
    {
        // Arrange / Act / Assert
        Assert.That(() => ProcStatus.Parse(text), Throws.TypeOf<FormatException>());
    }
}
