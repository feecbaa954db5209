using Spiffe.Agent.Attestation.Proc;
using Spiffe.Agent.Attestation.Tests.Infrastructure;

namespace Spiffe.Agent.Attestation.Tests.Proc;

[TestFixture]
public sealed class ProcStatTests
{
    private const string Tail = " 1 1 1 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 4455667 1000 10 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0\n";

    private static readonly object[] s_commands =
    [
        new object[] { "42 (sleep) S" + Tail, 42, 'S', 4455667UL },
        new object[] { "42 (my app) R" + Tail, 42, 'R', 4455667UL },
        new object[] { "7 (a) b (c)) Z" + Tail, 7, 'Z', 4455667UL },
        new object[] { "7 ((() S" + Tail, 7, 'S', 4455667UL },
        new object[] { "7 () X" + Tail, 7, 'X', 4455667UL },
        new object[] { "7 () 1 2 3) S" + Tail, 7, 'S', 4455667UL },
    ];

    private static readonly string[] s_malformed =
    [
        "42 sleep S" + Tail,
        "42 (sleep)S" + Tail,
        "x (sleep) S" + Tail,
        "42 (sleep) S 1 1 1 0\n",
        "42 (sleep) S 1 1 1 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 nope 1000\n",
        "42 (sleep) SS" + Tail,
        "(sleep) S" + Tail,
    ];

    [TestCaseSource(nameof(s_commands))]
    public void Parse_CommandWithSpacesOrParentheses_ReadsFieldsAfterLastParenthesis(
        string text, int expectedPid, char expectedState, ulong expectedStartTime)
    {
        // Arrange / Act
        var stat = ProcStat.Parse(text);

        // Assert
        Assert.That(stat.Pid, Is.EqualTo(expectedPid));
        Assert.That(stat.State, Is.EqualTo(expectedState));
        Assert.That(stat.StartTime, Is.EqualTo(expectedStartTime));
        Assert.That(stat.HasExited, Is.EqualTo(expectedState is 'Z' or 'X'));
    }

    [TestCaseSource(nameof(s_malformed))]
    public void Parse_MalformedText_ThrowsFormatException(string text)
    {
        // Arrange / Act / Assert
        Assert.That(() => ProcStat.Parse(text), Throws.TypeOf<FormatException>());
    }

    [Test]
    public void Parse_OwnStatFile_ReturnsOwnPidAndRunningState()
    {
        // Arrange
        if (!Requires.IsLinux)
        {
            Assert.Ignore("needs Linux");
        }

        // Act
        var stat = ProcStat.Parse(File.ReadAllText("/proc/self/stat"));

        // Assert
        Assert.That(stat.Pid, Is.EqualTo(Environment.ProcessId));
        Assert.That(stat.HasExited, Is.False);
        Assert.That(stat.StartTime, Is.GreaterThan(0UL));
    }
}
