using Spiffe.Agent.Attestation.Peer;
using Spiffe.Agent.Attestation.Proc;
using Spiffe.Agent.Core.Attestation;

namespace Spiffe.Agent.Attestation.Tests.Peer;

[TestFixture]
public sealed class CallerLivenessTests
{
    private const ulong StartTime = 4455667;
    private static readonly CallerCredentials s_caller = new(42, 1000, 2000);

    private static readonly object?[] s_cases =
    [
        new object?[] { 42, 'S', StartTime, 1000u, 2000u, null },
        new object?[] { 42, 'R', StartTime, 1000u, 2000u, null },
        new object?[] { 43, 'S', StartTime, 1000u, 2000u, "PID 43" },
        new object?[] { 42, 'Z', StartTime, 1000u, 2000u, "exited" },
        new object?[] { 42, 'X', StartTime, 1000u, 2000u, "exited" },
        new object?[] { 42, 'S', StartTime + 1, 1000u, 2000u, "start time" },
        new object?[] { 42, 'S', StartTime, 0u, 2000u, "uid 0" },
        new object?[] { 42, 'S', StartTime, 1000u, 0u, "gid 0" },
    ];

    [TestCaseSource(nameof(s_cases))]
    public void FindMismatch_ProcessNow_ReportsWhatDiffers(
        int pid, char state, ulong startTime, uint uid, uint gid, string? expectedReason)
    {
        // Arrange
        var stat = new ProcStat(pid, state, startTime);
        var status = new ProcStatus(uid, gid, [7]);

        // Act
        var reason = CallerLiveness.FindMismatch(s_caller, StartTime, stat, status);

        // Assert
        Assert.That(reason, expectedReason is null ? Is.Null : Does.Contain(expectedReason));
    }
}
